import { pageQuery, uuidArg, uuidsOnly, type Identity, type PageArgs } from '@pathway/kit';
import * as access from '../access.ts';
import type { ProgramClassFilter, ProgramClassSortField, SortDirection } from '../generated/graphql.ts';
import type { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

const sortColumns = { START_DT: 'startDt', NAME: 'name', CREATED_AT: 'createdAt' } as const satisfies Record<ProgramClassSortField, string>;

export function findClassesByIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.programClass.findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, access.programClass.where(identity)] } });
}

/** Of `ids`, the classes whose roster the caller may read. */
export function findRosterClassesByIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.programClass.findMany({
    where: { AND: [{ id: { in: uuidsOnly(ids) } }, access.classRoster.where(identity)] },
    select: { id: true },
  });
}

/** One page of classes the identity may see; the visibility filter is ANDed whatever the client asks. */
export async function listClasses(
  tx: Tx,
  identity: Identity,
  filter: ProgramClassFilter,
  page: PageArgs,
  sort: { field: ProgramClassSortField; direction: SortDirection },
) {
  const sortField = sortColumns[sort.field];
  const query = pageQuery(page, sortField, sort.direction === 'ASC' ? 'asc' : 'desc');
  const facilityId = uuidArg(filter.facilityId, 'facilityId');
  const programId = uuidArg(filter.programId, 'programId');
  const search = filter.search?.trim();
  const where: Prisma.ProgramClassWhereInput = {
    AND: [
      access.programClass.where(identity),
      query.where,
      facilityId ? { facilityId } : {},
      programId ? { programId } : {},
      filter.status ? { status: filter.status } : {},
      filter.archived != null ? { archivedAt: filter.archived ? { not: null } : null } : {},
      search
        ? {
            OR: (['name', 'instructorName', 'description'] as const).map((field) => ({
              [field]: { contains: search, mode: 'insensitive' },
            })),
          }
        : {},
    ],
  };
  const rows = await tx.programClass.findMany({
    where,
    orderBy: query.orderBy,
    take: query.take,
  });
  return { rows, query, sortField };
}
