import { uuidsOnly, type CaseloadRef, type Identity } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import { caseloadOf, studentAccess } from '../access.ts';

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

/**
 * Staff members' caseloads for other subgraphs (kit references.ts `caseloads`: market shows staff the
 * reservations of their caseload's residents): the user ids of the students assigned to each, as
 * far as the caller may see the students, without archived students or those with no account. A
 * caller learns only their own caseload; administrators (facility, tenant, system) those of the staff they reach.
 */
export async function caseloadRefs(tx: Tx, identity: Identity, ids: readonly string[]): Promise<CaseloadRef[]> {
  const administers = caseloadOf(identity) !== 'assigned' && caseloadOf(identity) !== 'none';
  const staffIds = uuidsOnly(ids).filter((id) => administers || id === identity.userId);
  const refs = new Map(staffIds.map((id) => [id, { id, residentIds: [] as string[] }]));
  for (const { staffId, student } of await caseloadStudents(tx, identity, staffIds))
    if (student.userId && !student.archivedAt) refs.get(staffId)!.residentIds.push(student.userId);
  return [...refs.values()];
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
