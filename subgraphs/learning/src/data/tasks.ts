import { pageQuery, uuidsOnly, type Identity, type PageArgs } from '@pathway/kit';
import type { Prisma, MappingStatus } from '../generated/prisma/client.ts';
import type { SyncTaskFilter } from '../generated/graphql.ts';
import { providerUserMappingAccess, syncTaskAccess } from '../access.ts';

type Tx = Prisma.TransactionClient;

export function findTasksByIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.task.findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, syncTaskAccess.where(identity)] } });
}

export function findMappingsByIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.providerUserMapping.findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, providerUserMappingAccess.where(identity)] } });
}

/** One page of tasks in reach, newest first. */
export async function listTasks(tx: Tx, identity: Identity, filter: SyncTaskFilter, page: PageArgs) {
  const query = pageQuery(page, 'createdAt', 'desc');
  const rows = await tx.task.findMany({
    where: {
      AND: [
        syncTaskAccess.where(identity),
        query.where,
        filter.providerPlatformId ? { providerPlatformId: filter.providerPlatformId } : {},
        filter.status ? { status: filter.status } : {},
      ],
    },
    orderBy: query.orderBy,
    take: query.take,
  });
  return { rows, query };
}

/** One page of a platform's mappings in reach, oldest first. */
export async function listMappings(
  tx: Tx,
  identity: Identity,
  platformId: string,
  status: MappingStatus | null | undefined,
  page: PageArgs,
) {
  const query = pageQuery(page, 'createdAt', 'asc');
  const rows = await tx.providerUserMapping.findMany({
    where: { AND: [providerUserMappingAccess.where(identity), query.where, { providerPlatformId: platformId }, status ? { status } : {}] },
    orderBy: query.orderBy,
    take: query.take,
  });
  return { rows, query };
}
