import { pageQuery, type Identity, type PageArgs } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import { studentCaseloadWhere, visibleStudentsWhere } from '../access.ts';

type Tx = Prisma.TransactionClient;

export interface StudentFilter {
  familyId?: string | null;
  gradeLevel?: string | null;
  facilityId?: string | null;
  search?: string | null;
}

const sortColumns = { LAST_NAME: 'lastName', STUDENT_NUMBER: 'studentNumber', GRADE_LEVEL: 'gradeLevel', CREATED_AT: 'createdAt' } as const;
export type StudentSortField = keyof typeof sortColumns;

export function findVisibleStudents(tx: Tx, identity: Identity | null, ids: readonly string[]) {
  return tx.student.findMany({ where: { AND: [{ id: { in: [...ids] } }, visibleStudentsWhere(identity)] } });
}

export function findVisibleStudentsOfUsers(tx: Tx, identity: Identity | null, userIds: readonly string[]) {
  return tx.student.findMany({ where: { AND: [{ userId: { in: [...userIds] } }, visibleStudentsWhere(identity)] } });
}

export function findVisibleStudentsOfFamilies(tx: Tx, identity: Identity | null, familyIds: readonly string[]) {
  return tx.student.findMany({
    where: { AND: [{ familyId: { in: [...familyIds] } }, visibleStudentsWhere(identity)] },
    orderBy: { id: 'asc' },
  });
}

/** Of `studentIds`, those assigned to staff member `teacherId`. */
export async function assignedStudentIds(tx: Tx, teacherId: string, studentIds: readonly string[]): Promise<Set<string>> {
  const rows = await tx.teacherStudentAssignment.findMany({
    where: { teacherId, studentId: { in: [...studentIds] } },
    select: { studentId: true },
  });
  return new Set(rows.map((r) => r.studentId));
}

/** Of `familyIds`, those with at least one student in the caller's caseload. */
export async function familiesInCaseload(tx: Tx, identity: Identity, familyIds: readonly string[]): Promise<Set<string>> {
  const rows = await tx.student.findMany({
    where: { AND: [{ familyId: { in: [...familyIds] } }, studentCaseloadWhere(identity)] },
    select: { familyId: true },
    distinct: ['familyId'],
  });
  return new Set(rows.flatMap((r) => (r.familyId ? [r.familyId] : [])));
}

/** One page of the students the caller may see; visibility is ANDed in whatever the client asks. */
export async function listStudents(
  tx: Tx,
  identity: Identity,
  filter: StudentFilter,
  page: PageArgs,
  sort: { field: StudentSortField; direction: 'ASC' | 'DESC' },
) {
  const sortField = sortColumns[sort.field];
  const query = pageQuery(page, sortField, sort.direction === 'ASC' ? 'asc' : 'desc');
  const search = filter.search?.trim();
  const where: Prisma.StudentWhereInput = {
    AND: [
      visibleStudentsWhere(identity),
      query.where as Prisma.StudentWhereInput,
      filter.familyId ? { familyId: filter.familyId } : {},
      filter.facilityId ? { facilityId: filter.facilityId } : {},
      filter.gradeLevel ? { gradeLevel: filter.gradeLevel } : {},
      search
        ? {
            OR: (['firstName', 'lastName', 'studentNumber'] as const).map((field) => ({
              [field]: { contains: search, mode: 'insensitive' },
            })),
          }
        : {},
    ],
  };
  const rows = await tx.student.findMany({ where, orderBy: query.orderBy as Prisma.StudentOrderByWithRelationInput[], take: query.take });
  return { rows, query, sortField };
}
