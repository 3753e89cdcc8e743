import { pageQuery, type Identity, type PageArgs } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import { facilityReach } from '../reach.ts';
import { uuidsOnly } from '@pathway/kit';

type Tx = Prisma.TransactionClient;

export interface FacilityFilter {
  search?: string | null;
}

export function findFacilitiesByIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.facility.findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, facilityReach(identity)] } });
}

/** One page of facilities inside the identity's reach, by name. */
export async function listFacilities(tx: Tx, identity: Identity, filter: FacilityFilter, page: PageArgs) {
  const sortField = 'name';
  const query = pageQuery(page, sortField, 'asc');
  const search = filter.search?.trim();
  const where: Prisma.FacilityWhereInput = {
    AND: [
      facilityReach(identity),
      query.where as Prisma.FacilityWhereInput,
      search ? { name: { contains: search, mode: 'insensitive' } } : {},
    ],
  };
  const rows = await tx.facility.findMany({ where, orderBy: query.orderBy as Prisma.FacilityOrderByWithRelationInput[], take: query.take });
  return { rows, query, sortField };
}
