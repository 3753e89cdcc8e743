import { pageQuery, type Identity, type PageArgs } from '@pathway/kit';
import type { Prisma, ProviderPlatformState, ProviderPlatformType } from '../generated/prisma/client.ts';
import { catalogReachFilter } from '@pathway/kit';
import { uuidsOnly } from '@pathway/kit';

type Tx = Prisma.TransactionClient;

/** The encrypted access key never leaves the database through the API's queries. */
const withoutSecret = { accessKeyEncrypted: true } as const;

export interface ProviderPlatformFilter {
  type?: ProviderPlatformType | null;
  state?: ProviderPlatformState | null;
}

export function findPlatformsByIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.providerPlatform.findMany({
    where: { AND: [{ id: { in: uuidsOnly(ids) } }, catalogReachFilter(identity) as Prisma.ProviderPlatformWhereInput] },
    omit: withoutSecret,
  });
}

export type PlatformRow = Awaited<ReturnType<typeof findPlatformsByIds>>[number];

/** One page of platforms inside the identity's reach, by name; the reach filter is ANDed in whatever the client asks. */
export async function listPlatforms(tx: Tx, identity: Identity, filter: ProviderPlatformFilter, page: PageArgs) {
  const sortField = 'name';
  const query = pageQuery(page, sortField, 'asc');
  const where: Prisma.ProviderPlatformWhereInput = {
    AND: [
      catalogReachFilter(identity) as Prisma.ProviderPlatformWhereInput,
      query.where as Prisma.ProviderPlatformWhereInput,
      filter.type ? { type: filter.type } : {},
      filter.state ? { state: filter.state } : {},
    ],
  };
  const rows = await tx.providerPlatform.findMany({
    where,
    orderBy: query.orderBy as Prisma.ProviderPlatformOrderByWithRelationInput[],
    take: query.take,
    omit: withoutSecret,
  });
  return { rows, query, sortField };
}
