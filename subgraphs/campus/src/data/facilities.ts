import { pageQuery, reachOf, uuidsOnly, type FacilityProgramsRef, type FacilityRef, type Identity, type PageArgs } from '@pathway/kit';
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

/** The facilities of `ids` in the identity's tenant (every tenant for system reach), as other subgraphs' writes check them (kit references.ts). */
export function facilityRefs(tx: Tx, identity: Identity, ids: readonly string[]): Promise<FacilityRef[]> {
  return tx.facility.findMany({
    where: { id: { in: uuidsOnly(ids) }, ...(reachOf(identity) === 'system' ? {} : { tenantId: identity.tenantId }) },
    select: { id: true, tenantId: true, name: true, timezone: true },
  });
}

/** The active programs each facility of `ids` offers (the caller's tenant; every tenant for system reach), for other subgraphs (kit references.ts). */
export async function facilityProgramRefs(tx: Tx, identity: Identity, ids: readonly string[]): Promise<FacilityProgramsRef[]> {
  const facilityIds = uuidsOnly(ids);
  const links = await tx.facilityProgram.findMany({
    where: {
      facilityId: { in: facilityIds },
      ...(reachOf(identity) === 'system' ? {} : { tenantId: identity.tenantId }),
      program: { isActive: true, archivedAt: null },
    },
    select: {
      facilityId: true,
      program: { select: { id: true, name: true, description: true, types: { select: { programType: true } } } },
    },
    orderBy: { programId: 'asc' },
  });
  return facilityIds.map((id) => ({
    id,
    programs: links
      .filter((l) => l.facilityId === id)
      .map(({ program }) => ({
        id: program.id,
        name: program.name,
        description: program.description,
        programTypes: program.types.map((t) => t.programType),
      })),
  }));
}
