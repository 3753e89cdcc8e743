import { uuidsOnly, type PageQuery } from '@pathway/kit';
import type { Prisma, ProviderPlatformChange, ProviderPlatformFacility } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

/**
 * Details of platforms the caller already may see (the row rule on ProviderPlatform decided):
 * the facilities each is available at, and its change log. Read for several platforms at once.
 */
export function availabilityOfPlatforms(tx: Tx, platformIds: readonly string[]): Promise<ProviderPlatformFacility[]> {
  return tx.providerPlatformFacility.findMany({
    where: { providerPlatformId: { in: uuidsOnly(platformIds) } },
    orderBy: { facilityId: 'asc' },
  });
}

export function changesOfPlatforms(
  tx: Tx,
  platformIds: readonly string[],
  page: Pick<PageQuery, 'where' | 'orderBy'>,
): Promise<ProviderPlatformChange[]> {
  return tx.providerPlatformChange.findMany({
    where: { AND: [{ providerPlatformId: { in: uuidsOnly(platformIds) } }, page.where] },
    orderBy: page.orderBy,
  });
}
