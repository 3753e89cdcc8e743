import { pageQuery, uuidArg, uuidsOnly, type Identity, type PageArgs } from '@pathway/kit';
import * as access from '../access.ts';
import type { ProgramFilter } from '../generated/graphql.ts';
import type { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

/** Every program is read with its types: they are few, and the GraphQL type always offers them. */
const withTypes = { types: { select: { programType: true } } } satisfies Prisma.ProgramInclude;
export type ProgramRow = Prisma.ProgramGetPayload<{ include: typeof withTypes }>;

export function findProgramsByIds(tx: Tx, identity: Identity, ids: readonly string[]): Promise<ProgramRow[]> {
  return tx.program.findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, access.program.where(identity)] }, include: withTypes });
}

/** One page of the catalog inside the identity's reach, by name; the reach is ANDed whatever the filter says. */
export async function listPrograms(tx: Tx, identity: Identity, filter: ProgramFilter, page: PageArgs) {
  const sortField = 'name';
  const query = pageQuery(page, sortField, 'asc');
  const facilityId = uuidArg(filter.facilityId, 'facilityId');
  const search = filter.search?.trim();
  const where: Prisma.ProgramWhereInput = {
    AND: [
      access.program.where(identity),
      query.where,
      facilityId ? { facilities: { some: { facilityId } } } : {},
      filter.fundingType ? { fundingType: filter.fundingType } : {},
      filter.programType ? { types: { some: { programType: filter.programType } } } : {},
      filter.isActive != null ? { isActive: filter.isActive } : {},
      filter.archived != null ? { archivedAt: filter.archived ? { not: null } : null } : {},
      search
        ? { OR: [{ name: { contains: search, mode: 'insensitive' } }, { description: { contains: search, mode: 'insensitive' } }] }
        : {},
    ],
  };
  const rows = await tx.program.findMany({
    where,
    orderBy: query.orderBy,
    take: query.take,
    include: withTypes,
  });
  return { rows, query, sortField };
}

/** Facilities within the caller's reach that offer the program, by name. */
export const offeringFacilities = (tx: Tx, identity: Identity, programId: string) =>
  tx.facility.findMany({
    where: { AND: [{ programs: { some: { programId } } }, access.facility.where(identity)] },
    orderBy: { name: 'asc' },
  });
