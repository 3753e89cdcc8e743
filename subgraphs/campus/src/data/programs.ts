import { pageQuery, type Identity, type PageArgs } from '@pathway/kit';
import type { FundingType, Prisma, ProgramType } from '../generated/prisma/client.ts';
import { programReach } from '../reach.ts';
import { uuidArg, uuidsOnly } from '@pathway/kit';

type Tx = Prisma.TransactionClient;

/** Every program is read with its types: they are few, and the GraphQL type always offers them. */
const withTypes = { types: { select: { programType: true } } } satisfies Prisma.ProgramInclude;
export type ProgramRow = Prisma.ProgramGetPayload<{ include: typeof withTypes }>;

export interface ProgramFilter {
  facilityId?: string | null;
  fundingType?: FundingType | null;
  programType?: ProgramType | null;
  isActive?: boolean | null;
  archived?: boolean | null;
  search?: string | null;
}

export function findProgramsByIds(tx: Tx, identity: Identity, ids: readonly string[]): Promise<ProgramRow[]> {
  return tx.program.findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, programReach(identity)] }, include: withTypes });
}

/** One page of the catalog inside the identity's reach, by name; the reach is ANDed whatever the filter says. */
export async function listPrograms(tx: Tx, identity: Identity, filter: ProgramFilter, page: PageArgs) {
  const sortField = 'name';
  const query = pageQuery(page, sortField, 'asc');
  const facilityId = uuidArg(filter.facilityId, 'facilityId');
  const search = filter.search?.trim();
  const where: Prisma.ProgramWhereInput = {
    AND: [
      programReach(identity),
      query.where as Prisma.ProgramWhereInput,
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
    orderBy: query.orderBy as Prisma.ProgramOrderByWithRelationInput[],
    take: query.take,
    include: withTypes,
  });
  return { rows, query, sortField };
}

/** Of `programIds`, those offered at `facilityId` (backs the program reach rule for facility-bound callers). */
export async function programsOfferedAt(tx: Tx, facilityId: string, programIds: readonly string[]): Promise<Set<string>> {
  const rows = await tx.facilityProgram.findMany({
    where: { facilityId, programId: { in: uuidsOnly(programIds) } },
    select: { programId: true },
  });
  return new Set(rows.map((r) => r.programId));
}
