import { uuidsOnly, type PageQuery } from '@pathway/kit';
import type { ActivityLog, Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

/**
 * Activity lines of many entities of one type, newest first, from a keyset page. Not cut to the
 * caller here: the field's rule decides who may read an entity's activity (owner, managers).
 */
export function activityOf(
  tx: Tx,
  entityType: string,
  entityIds: readonly string[],
  page: Pick<PageQuery, 'where' | 'orderBy'>,
): Promise<ActivityLog[]> {
  return tx.activityLog.findMany({
    where: { AND: [{ entityType, entityId: { in: uuidsOnly(entityIds) } }, page.where] },
    orderBy: page.orderBy,
  });
}
