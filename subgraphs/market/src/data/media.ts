import { uuidsOnly } from '@pathway/kit';
import type { Prisma, PropertyMedia } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

/** Media of many listings in one query, in display order (the caller already may see the listings: the field's row rule). */
export function mediaOfProperties(tx: Tx, propertyIds: readonly string[]): Promise<PropertyMedia[]> {
  return tx.propertyMedia.findMany({
    where: { propertyId: { in: uuidsOnly(propertyIds) } },
    orderBy: [{ propertyId: 'asc' }, { position: 'asc' }],
  });
}
