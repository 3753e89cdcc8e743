import { conflict, parseInput, type Identity } from '@pathway/kit';
import { z } from 'zod';
import { caseloadManageAccess, studentAccess } from '../access.ts';
import type { Prisma, TeacherStudentAssignment } from '../generated/prisma/client.ts';
import { caseloadLine, logChanges } from './changes.ts';
import { findManaged, optionalText } from './records.ts';

type Tx = Prisma.TransactionClient;

const findCaseloadStudent = (tx: Tx, identity: Identity, id: string) =>
  findManaged('The student', identity, caseloadManageAccess, studentAccess, (where) => tx.student.findFirst({ where }), id);

/**
 * Puts the student in the staff member's caseload. The staff member is identity's person: the id is
 * taken on the administrator's word (this subgraph cannot read identity's tables), as campus does
 * for instructors; assigning twice is CONFLICT ALREADY_IN_STATE.
 */
export async function assignToCaseload(tx: Tx, identity: Identity, studentId: string, staffId: string): Promise<TeacherStudentAssignment> {
  const student = await findCaseloadStudent(tx, identity, studentId);
  const existing = await tx.teacherStudentAssignment.findUnique({
    where: { teacherId_studentId: { teacherId: staffId, studentId: student.id } },
  });
  if (existing) throw conflict('The student is already in this caseload.', { reason: 'ALREADY_IN_STATE' });
  const created = await tx.teacherStudentAssignment.create({
    data: { tenantId: student.tenantId, teacherId: staffId, studentId: student.id, assignedById: identity.userId },
  });
  await logChanges(tx, [caseloadLine(identity, created, 'caseload.assigned')]);
  return created;
}

/** Takes the student out of the staff member's caseload; false when they were not in it (nothing changes, nothing is logged). */
export async function removeFromCaseload(
  tx: Tx,
  identity: Identity,
  studentId: string,
  staffId: string,
  why?: string | null,
): Promise<boolean> {
  const because = parseInput(z.object({ reason: optionalText(500) }), { reason: why }, 'The removal').reason;
  const student = await findCaseloadStudent(tx, identity, studentId);
  const existing = await tx.teacherStudentAssignment.findUnique({
    where: { teacherId_studentId: { teacherId: staffId, studentId: student.id } },
  });
  if (!existing) return false;
  await tx.teacherStudentAssignment.delete({ where: { id: existing.id } });
  await logChanges(tx, [caseloadLine(identity, existing, 'caseload.removed', because)]);
  return true;
}
