import { badInput, conflict, notFound, parseInput, reachOf, rethrowDuplicate, uuidArg, type Identity, type References } from '@pathway/kit';
import { z } from 'zod';
import { studentAccess, studentManageAccess } from '../access.ts';
import type { CreateStudentInput, UpdateStudentInput } from '../generated/graphql.ts';
import type { Prisma, Student } from '../generated/prisma/client.ts';
import { diff, logChanges, studentSnapshot } from './changes.ts';
import { findManagedFamily } from './families.ts';
import { findManaged, reason, requiredText, sent } from './records.ts';
import { namedFacility, studentPerson } from './references.ts';

type Tx = Prisma.TransactionClient;

/** A calendar day in the past, not before 1900. */
const birthDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .transform((v) => new Date(`${v}T00:00:00Z`))
  .refine((d) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1900 && d <= new Date(), 'must be a real date between 1900 and today')
  .nullish()
  .transform((v) => v ?? null);

/** Extra imported attributes: a JSON object of at most 8 KB (not a list or a bare value). */
const additionalInfo = z
  .record(z.string(), z.unknown(), 'must be a JSON object')
  .refine((v) => JSON.stringify(v).length <= 8192, 'must be at most 8 KB of JSON')
  .nullish()
  .transform((v) => (v ?? {}) as Prisma.InputJsonValue);

export const studentFields = z.object({
  studentNumber: requiredText(64),
  firstName: requiredText(100),
  lastName: requiredText(100),
  gradeLevel: requiredText(20),
  birthDate,
  additionalInfo,
});

/** A student the caller may change (behavior.student.manage in their caseload), else FORBIDDEN / NOT_FOUND. */
export const findManagedStudent = (tx: Tx, identity: Identity, id: string) =>
  findManaged('The student', identity, studentManageAccess, studentAccess, (where) => tx.student.findFirst({ where }), id);

/**
 * Where the student is placed: the facility named (campus vouches for it: within the caller's reach,
 * so a facility admin names only their own), else where they are, else a new student goes to the
 * facility admin's own facility. A facility admin cannot unplace a student (it would leave their reach).
 */
async function studentFacility(
  refs: References,
  identity: Identity,
  facilityId: string | null | undefined,
  current: Pick<Student, 'facilityId' | 'facilityTimezone'> | null,
): Promise<Pick<Student, 'facilityId' | 'facilityTimezone'>> {
  if (facilityId === undefined) {
    if (current?.facilityId) return { facilityId: current.facilityId, facilityTimezone: current.facilityTimezone };
    // A new (or unplaced) student of a facility admin goes to their facility: campus gives its time zone.
    if (reachOf(identity) !== 'facility' || !identity.facilityId) return { facilityId: null, facilityTimezone: null };
    facilityId = identity.facilityId;
  }
  if (facilityId === null && reachOf(identity) === 'facility')
    throw badInput('A facility admin cannot take a student out of every facility.', { facilityId: 'is required for facility admins' });
  const facility = await namedFacility(refs, identity, facilityId);
  return { facilityId: facility?.id ?? null, facilityTimezone: facility?.timezone ?? null };
}

const duplicate = rethrowDuplicate('Another student record has this student number, or is linked to this person.', {
  studentNumber: 'or userId is taken in this tenant',
});

interface Links {
  familyId: string | null;
  facilityId: string | null;
  facilityTimezone: string | null;
  userId: string | null;
  tenantId: string;
}

/** The ids a create or update names, each checked: a family the caller may change, a facility in reach, a resident in reach. */
async function links(
  tx: Tx,
  identity: Identity,
  refs: References,
  input: CreateStudentInput | UpdateStudentInput,
  current: Student | null,
): Promise<Links> {
  const familyArg = input.familyId === null ? null : uuidArg(input.familyId, 'familyId');
  const facilityArg = input.facilityId === null ? null : uuidArg(input.facilityId, 'facilityId');
  const userArg = input.userId === null ? null : uuidArg(input.userId, 'userId');
  const family = familyArg ? await findManagedFamily(tx, identity, familyArg) : null;
  const tenantId = current?.tenantId ?? family?.tenantId ?? identity.tenantId;
  if (family && family.tenantId !== tenantId) throw notFound('The family');
  if (userArg && userArg !== current?.userId) await studentPerson(refs, identity, userArg);
  const placement = await studentFacility(refs, identity, facilityArg, current);
  return {
    familyId: familyArg === undefined ? (current?.familyId ?? null) : (family?.id ?? null),
    ...placement,
    // Identity vouched for the person; the unique index keeps one student record per person.
    userId: userArg === undefined ? (current?.userId ?? null) : userArg,
    tenantId,
  };
}

export async function createStudent(tx: Tx, identity: Identity, refs: References, input: CreateStudentInput): Promise<Student> {
  const fields = parseInput(studentFields, input, 'The student');
  const linked = await links(tx, identity, refs, input, null);
  const created = await tx.student.create({ data: { ...fields, ...linked } }).catch(duplicate);
  await logChanges(tx, [
    {
      actor: identity,
      tenantId: created.tenantId,
      action: 'student.created',
      entityType: 'student',
      entityId: created.id,
      studentId: created.id,
      familyId: created.familyId,
      after: studentSnapshot(created),
    },
  ]);
  return created;
}

export async function updateStudent(tx: Tx, identity: Identity, refs: References, id: string, patch: UpdateStudentInput): Promise<Student> {
  const current = await findManagedStudent(tx, identity, id);
  const { familyId: _f, facilityId: _fa, userId: _u, ...own } = sent(patch);
  const currentFields = { ...current, birthDate: current.birthDate?.toISOString().slice(0, 10) ?? null };
  const fields = parseInput(studentFields, { ...currentFields, ...own }, 'The student');
  const linked = await links(tx, identity, refs, patch, current);
  const updated = await tx.student.update({ where: { id: current.id }, data: { ...fields, ...linked } }).catch(duplicate);
  const changes = diff(studentSnapshot(current), studentSnapshot(updated));
  if (Object.keys(changes.after).length > 0)
    await logChanges(tx, [
      {
        actor: identity,
        tenantId: updated.tenantId,
        action: 'student.updated',
        entityType: 'student',
        entityId: updated.id,
        studentId: updated.id,
        familyId: updated.familyId,
        ...changes,
      },
    ]);
  return updated;
}

export async function archiveStudent(tx: Tx, identity: Identity, id: string, why: string): Promise<Student> {
  const because = parseInput(z.object({ reason }), { reason: why }, 'The archive').reason;
  const current = await findManagedStudent(tx, identity, id);
  if (current.archivedAt) throw conflict('The student is already archived.', { reason: 'ALREADY_IN_STATE' });
  const updated = await tx.student.update({ where: { id: current.id }, data: { archivedAt: new Date() } });
  await logChanges(tx, [
    {
      actor: identity,
      tenantId: updated.tenantId,
      action: 'student.archived',
      entityType: 'student',
      entityId: updated.id,
      studentId: updated.id,
      familyId: updated.familyId,
      reason: because,
      ...diff(studentSnapshot(current), studentSnapshot(updated)),
    },
  ]);
  return updated;
}
