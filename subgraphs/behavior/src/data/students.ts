import { pageQuery, type Identity } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import type { QueryStudentsArgs, StudentSortField } from '../generated/graphql.ts';
import { studentAccess } from '../access.ts';

type Tx = Prisma.TransactionClient;

const sortColumns = {
  LAST_NAME: 'lastName',
  STUDENT_NUMBER: 'studentNumber',
  GRADE_LEVEL: 'gradeLevel',
  CREATED_AT: 'createdAt',
} as const satisfies Record<StudentSortField, keyof Prisma.StudentOrderByWithRelationInput>;

/** The students the caller may see among those matching `where` (ids, users or families of a batch). */
export function findVisibleStudents(tx: Tx, identity: Identity, where: Prisma.StudentWhereInput) {
  return tx.student.findMany({ where: { AND: [where, studentAccess.where(identity)] }, orderBy: { id: 'asc' } });
}

/** One page of the students the caller may see; visibility is ANDed in whatever the client asks. */
export async function listStudents(tx: Tx, identity: Identity, args: QueryStudentsArgs) {
  const filter = args.filter ?? {};
  const sortField = sortColumns[args.sort?.field ?? 'LAST_NAME'];
  const query = pageQuery(args, sortField, args.sort?.direction === 'DESC' ? 'desc' : 'asc');
  const search = filter.search?.trim();
  const where: Prisma.StudentWhereInput = {
    AND: [
      studentAccess.where(identity),
      query.where,
      filter.familyId ? { familyId: filter.familyId } : {},
      filter.facilityId ? { facilityId: filter.facilityId } : {},
      filter.gradeLevel ? { gradeLevel: filter.gradeLevel } : {},
      filter.includeArchived ? {} : { archivedAt: null },
      search
        ? {
            OR: (['firstName', 'lastName', 'studentNumber'] as const).map((field) => ({
              [field]: { contains: search, mode: 'insensitive' },
            })),
          }
        : {},
    ],
  };
  const rows = await tx.student.findMany({ where, orderBy: query.orderBy, take: query.take });
  return { rows, query, sortField };
}
