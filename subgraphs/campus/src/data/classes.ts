import { pageQuery, type Identity, type PageArgs } from '@pathway/kit';
import type { ClassStatus, Prisma } from '../generated/prisma/client.ts';
import { classVisibility } from '../reach.ts';
import { uuidArg, uuidsOnly } from '@pathway/kit';

type Tx = Prisma.TransactionClient;

export interface ProgramClassFilter {
  facilityId?: string | null;
  programId?: string | null;
  status?: ClassStatus | null;
  archived?: boolean | null;
  search?: string | null;
}

const sortColumns = { START_DT: 'startDt', NAME: 'name', CREATED_AT: 'createdAt' } as const;
export type ProgramClassSortField = keyof typeof sortColumns;
export interface ProgramClassSort {
  field: ProgramClassSortField;
  direction: 'ASC' | 'DESC';
}

export function findClassesByIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.programClass.findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, classVisibility(identity)] } });
}

/** One page of classes the identity may see; the visibility filter is ANDed whatever the client asks. */
export async function listClasses(tx: Tx, identity: Identity, filter: ProgramClassFilter, page: PageArgs, sort: ProgramClassSort) {
  const sortField = sortColumns[sort.field];
  const query = pageQuery(page, sortField, sort.direction === 'ASC' ? 'asc' : 'desc');
  const facilityId = uuidArg(filter.facilityId, 'facilityId');
  const programId = uuidArg(filter.programId, 'programId');
  const search = filter.search?.trim();
  const where: Prisma.ProgramClassWhereInput = {
    AND: [
      classVisibility(identity),
      query.where as Prisma.ProgramClassWhereInput,
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
    orderBy: query.orderBy as Prisma.ProgramClassOrderByWithRelationInput[],
    take: query.take,
  });
  return { rows, query, sortField };
}

/** Of `classIds`, those `userId` is enrolled in (backs the "your own class" rule). */
export async function classesEnrolledIn(tx: Tx, userId: string, classIds: readonly string[]): Promise<Set<string>> {
  const rows = await tx.classEnrollment.findMany({ where: { userId, classId: { in: uuidsOnly(classIds) } }, select: { classId: true } });
  return new Set(rows.map((r) => r.classId));
}
