import type { Identity } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import { studentAccess } from '../access.ts';

type Tx = Prisma.TransactionClient;

/** The assignments of these students (the shield decides on the student whether the caller may read them). */
export function assignmentsOfStudents(tx: Tx, studentIds: string[]) {
  return tx.teacherStudentAssignment.findMany({
    where: { studentId: { in: studentIds } },
    orderBy: [{ assignedAt: 'asc' }, { id: 'asc' }],
  });
}

/** Students in these staff members' caseloads that the caller may see, with the staff member's id. */
export async function caseloadStudents(tx: Tx, identity: Identity, staffIds: string[]) {
  const rows = await tx.student.findMany({
    where: { AND: [{ assignments: { some: { teacherId: { in: staffIds } } } }, studentAccess.where(identity)] },
    include: { assignments: { where: { teacherId: { in: staffIds } }, select: { teacherId: true } } },
    orderBy: [{ lastName: 'asc' }, { id: 'asc' }],
  });
  return rows.flatMap(({ assignments, ...student }) => assignments.map((a) => ({ staffId: a.teacherId, student })));
}

/** Students of the families these people are (active) guardians of, that the caller may see. */
export async function childrenOf(tx: Tx, identity: Identity, guardianUserIds: string[]) {
  const rows = await tx.student.findMany({
    where: {
      AND: [{ family: { guardians: { some: { userId: { in: guardianUserIds }, archivedAt: null } } } }, studentAccess.where(identity)],
    },
    include: {
      family: { select: { guardians: { where: { userId: { in: guardianUserIds }, archivedAt: null }, select: { userId: true } } } },
    },
    orderBy: [{ lastName: 'asc' }, { id: 'asc' }],
  });
  return rows.flatMap(({ family, ...student }) => (family?.guardians ?? []).map((g) => ({ userId: g.userId!, student })));
}
