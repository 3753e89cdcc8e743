import { pageQuery, uuidsOnly, type Identity, type PageArgs } from '@pathway/kit';
import * as access from '../access.ts';
import type { FacilityFilter } from '../generated/graphql.ts';
import type { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

export function findFacilitiesByIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.facility.findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, access.facility.where(identity)] } });
}

/** One page of facilities inside the identity's reach, by name. */
export async function listFacilities(tx: Tx, identity: Identity, filter: FacilityFilter, page: PageArgs) {
  const sortField = 'name';
  const query = pageQuery(page, sortField, 'asc');
  const search = filter.search?.trim();
  const where: Prisma.FacilityWhereInput = {
    AND: [access.facility.where(identity), query.where, search ? { name: { contains: search, mode: 'insensitive' } } : {}],
  };
  const rows = await tx.facility.findMany({ where, orderBy: query.orderBy, take: query.take });
  return { rows, query, sortField };
}
