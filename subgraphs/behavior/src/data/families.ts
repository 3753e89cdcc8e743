import { pageQuery, type Identity } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import type { FamilySortField, QueryFamiliesArgs } from '../generated/graphql.ts';
import { familyAccess } from '../access.ts';

type Tx = Prisma.TransactionClient;

const sortColumns = { FAMILY_NAME: 'familyName', CREATED_AT: 'createdAt' } as const satisfies Record<
  FamilySortField,
  keyof Prisma.FamilyOrderByWithRelationInput
>;

/** The families the caller may see among those matching `where` (the ids of a batch). */
export function findVisibleFamilies(tx: Tx, identity: Identity, where: Prisma.FamilyWhereInput) {
  return tx.family.findMany({ where: { AND: [where, familyAccess.where(identity)] } });
}

/** One page of the families the caller may see; visibility is ANDed in whatever the client asks. */
export async function listFamilies(tx: Tx, identity: Identity, args: QueryFamiliesArgs) {
  const sortField = sortColumns[args.sort?.field ?? 'FAMILY_NAME'];
  const query = pageQuery(args, sortField, args.sort?.direction === 'DESC' ? 'desc' : 'asc');
  const search = args.filter?.search?.trim();
  const where: Prisma.FamilyWhereInput = {
    AND: [
      familyAccess.where(identity),
      query.where,
      args.filter?.includeArchived ? {} : { archivedAt: null },
      search
        ? { OR: (['familyName', 'primaryContact'] as const).map((field) => ({ [field]: { contains: search, mode: 'insensitive' } })) }
        : {},
    ],
  };
  const rows = await tx.family.findMany({ where, orderBy: query.orderBy, take: query.take });
  return { rows, query, sortField };
}
