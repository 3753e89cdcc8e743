import type { Identity } from '@pathway/kit';
import type { Family, Guardian, Prisma, Student, TeacherStudentAssignment } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;
type Snapshot = Record<string, Prisma.InputJsonValue | null>;

export type BehaviorChangeAction =
  | 'family.created'
  | 'family.updated'
  | 'family.archived'
  | 'student.created'
  | 'student.updated'
  | 'student.archived'
  | 'guardian.added'
  | 'guardian.updated'
  | 'guardian.archived'
  | 'caseload.assigned'
  | 'caseload.removed'
  | 'request.opened'
  | 'request.status_changed'
  | 'intervention.created'
  | 'intervention.status_changed'
  | 'progress.noted'
  | 'reflection.completed'
  | 'reflection.reviewed'
  | 'external.confirmed'
  | 'external.rejected';

/** What a change log line keeps of each record (dates as ISO strings; JSON as it is). Takes rows or create inputs. */
type Maybe<T> = T | null | undefined;
const iso = (d: Maybe<Date | string>) => (d == null ? null : new Date(d).toISOString());
const json = (v: unknown) => (v ?? {}) as Prisma.InputJsonValue;

export const familySnapshot = (f: Pick<Family, 'familyName'> & Partial<Family>): Snapshot => ({
  familyName: f.familyName,
  primaryContact: f.primaryContact ?? null,
  address: f.address ?? null,
  phone: f.phone ?? null,
  facilityId: f.facilityId ?? null,
  archivedAt: iso(f.archivedAt),
});

export const studentSnapshot = (
  s: Pick<Student, 'studentNumber' | 'firstName' | 'lastName' | 'gradeLevel'> & Partial<Student>,
): Snapshot => ({
  studentNumber: s.studentNumber,
  firstName: s.firstName,
  lastName: s.lastName,
  gradeLevel: s.gradeLevel,
  birthDate: iso(s.birthDate)?.slice(0, 10) ?? null,
  additionalInfo: json(s.additionalInfo),
  familyId: s.familyId ?? null,
  facilityId: s.facilityId ?? null,
  userId: s.userId ?? null,
  archivedAt: iso(s.archivedAt),
});

export const guardianSnapshot = (g: Pick<Guardian, 'firstName' | 'lastName' | 'relationship'> & Partial<Guardian>): Snapshot => ({
  firstName: g.firstName,
  lastName: g.lastName,
  relationship: g.relationship,
  email: g.email ?? null,
  phone: g.phone ?? null,
  notificationPreferences: json(g.notificationPreferences),
  userId: g.userId ?? null,
  archivedAt: iso(g.archivedAt),
});

/** Only the fields that differ, on each side (an update that changes nothing has an empty diff). */
export function diff(before: Snapshot, after: Snapshot): { before: Snapshot; after: Snapshot } {
  const changed = Object.keys(after).filter((key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null));
  return {
    before: Object.fromEntries(changed.map((key) => [key, before[key] ?? null])),
    after: Object.fromEntries(changed.map((key) => [key, after[key] ?? null])),
  };
}

export interface ChangeLine {
  actor: Identity;
  tenantId: string;
  action: BehaviorChangeAction;
  entityType: 'family' | 'student' | 'guardian' | 'caseload' | 'request' | 'intervention' | 'reflection' | 'external_record';
  entityId: string;
  studentId?: string | null;
  familyId?: string | null;
  reason?: string | null;
  before?: Snapshot | null;
  after?: Snapshot | null;
}

/** Writes change log lines; call it inside the transaction that makes the change. */
export async function logChanges(tx: Tx, lines: ChangeLine[]): Promise<void> {
  if (lines.length === 0) return;
  await tx.behaviorChange.createMany({
    data: lines.map((line) => ({
      tenantId: line.tenantId,
      entityType: line.entityType,
      entityId: line.entityId,
      studentId: line.studentId ?? null,
      familyId: line.familyId ?? null,
      actorId: line.actor.userId,
      action: line.action,
      reason: line.reason ?? null,
      before: line.before ?? undefined,
      after: line.after ?? undefined,
    })),
  });
}

/** A caseload line: the student's history shows who was assigned or removed. */
export const caseloadLine = (
  actor: Identity,
  assignment: TeacherStudentAssignment,
  action: 'caseload.assigned' | 'caseload.removed',
  reason?: string | null,
): ChangeLine => ({
  actor,
  tenantId: assignment.tenantId,
  action,
  entityType: 'caseload',
  entityId: assignment.id,
  studentId: assignment.studentId,
  reason: reason ?? null,
  [action === 'caseload.assigned' ? 'after' : 'before']: { staffId: assignment.teacherId },
});
