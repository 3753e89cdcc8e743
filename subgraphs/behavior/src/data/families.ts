import { pageQuery, type Identity, type PageArgs } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import { visibleFamiliesWhere } from '../access.ts';

type Tx = Prisma.TransactionClient;

export interface FamilyFilter {
  search?: string | null;
}

const sortColumns = { FAMILY_NAME: 'familyName', CREATED_AT: 'createdAt' } as const;
export type FamilySortField = keyof typeof sortColumns;

export function findVisibleFamilies(tx: Tx, identity: Identity | null, ids: readonly string[]) {
  return tx.family.findMany({ where: { AND: [{ id: { in: [...ids] } }, visibleFamiliesWhere(identity)] } });
}

/** One page of the families the caller may see; visibility is ANDed in whatever the client asks. */
export async function listFamilies(
  tx: Tx,
  identity: Identity,
  filter: FamilyFilter,
  page: PageArgs,
  sort: { field: FamilySortField; direction: 'ASC' | 'DESC' },
) {
  const sortField = sortColumns[sort.field];
  const query = pageQuery(page, sortField, sort.direction === 'ASC' ? 'asc' : 'desc');
  const search = filter.search?.trim();
  const where: Prisma.FamilyWhereInput = {
    AND: [
      visibleFamiliesWhere(identity),
      query.where as Prisma.FamilyWhereInput,
      search
        ? { OR: (['familyName', 'primaryContact'] as const).map((field) => ({ [field]: { contains: search, mode: 'insensitive' } })) }
        : {},
    ],
  };
  const rows = await tx.family.findMany({ where, orderBy: query.orderBy as Prisma.FamilyOrderByWithRelationInput[], take: query.take });
  return { rows, query, sortField };
}
