import { randomUUID } from 'node:crypto';
import type { Identity } from '@pathway/kit';
import type { Prisma } from '../../generated/prisma/client.ts';
import { diff, familySnapshot, guardianSnapshot, studentSnapshot, type ChangeLine } from '../changes.ts';
import { insertRows, type Column } from './bulk.ts';
import type { ImportPlan } from './plan.ts';

type Tx = Prisma.TransactionClient;
type NewFamily = ImportPlan['newFamilies'][number];
type NewStudent = ImportPlan['newStudents'][number];
type NewGuardian = ImportPlan['newGuardians'][number];

const FAMILY: Column<NewFamily>[] = [
  ['id', 'uuid', (f) => f.id],
  ['tenant_id', 'uuid', (f) => f.tenantId],
  ['family_name', 'text', (f) => f.familyName],
  ['primary_contact', 'text', (f) => f.primaryContact],
  ['address', 'text', (f) => f.address],
  ['phone', 'text', (f) => f.phone],
  ['facility_id', 'uuid', (f) => f.facilityId],
  ['updated_at', 'timestamptz', () => new Date()],
];
const STUDENT: Column<NewStudent>[] = [
  ['id', 'uuid', (s) => s.id],
  ['tenant_id', 'uuid', (s) => s.tenantId],
  ['facility_id', 'uuid', (s) => s.facilityId],
  ['facility_timezone', 'text', (s) => s.facilityTimezone ?? null],
  ['family_id', 'uuid', (s) => s.familyId],
  ['student_number', 'text', (s) => s.studentNumber],
  ['first_name', 'text', (s) => s.firstName],
  ['last_name', 'text', (s) => s.lastName],
  ['grade_level', 'text', (s) => s.gradeLevel],
  ['birth_date', 'date', (s) => s.birthDate],
  ['additional_info', 'jsonb', (s) => s.additionalInfo],
  ['updated_at', 'timestamptz', () => new Date()],
];
const GUARDIAN: Column<NewGuardian>[] = [
  ['id', 'uuid', (g) => g.id],
  ['tenant_id', 'uuid', (g) => g.tenantId],
  ['family_id', 'uuid', (g) => g.familyId],
  ['first_name', 'text', (g) => g.firstName],
  ['last_name', 'text', (g) => g.lastName],
  ['relationship', 'text', (g) => g.relationship],
  ['email', 'text', (g) => g.email],
  ['phone', 'text', (g) => g.phone],
  ['notification_preferences', 'jsonb', (g) => g.notificationPreferences],
  ['updated_at', 'timestamptz', () => new Date()],
];
const CHANGE: Column<ChangeLine>[] = [
  ['id', 'uuid', () => randomUUID()],
  ['tenant_id', 'uuid', (c) => c.tenantId],
  ['entity_type', 'text', (c) => c.entityType],
  ['entity_id', 'uuid', (c) => c.entityId],
  ['student_id', 'uuid', (c) => c.studentId],
  ['family_id', 'uuid', (c) => c.familyId],
  ['actor_id', 'uuid', (c) => c.actor.userId],
  ['action', 'text', (c) => c.action],
  ['reason', 'text', (c) => c.reason],
  ['before', 'jsonb', (c) => c.before],
  ['after', 'jsonb', (c) => c.after],
];

/** Changed students, a thousand per UPDATE … FROM unnest(…). */
async function updateStudents(tx: Tx, changed: ImportPlan['changedStudents']) {
  for (let i = 0; i < changed.length; i += 5000) {
    const chunk = changed.slice(i, i + 5000).map((c) => c.after);
    await tx.$executeRaw`
      UPDATE behavior.students AS s SET first_name = v.first_name, last_name = v.last_name, grade_level = v.grade_level,
        birth_date = v.birth_date, additional_info = v.additional_info::jsonb, family_id = v.family_id, updated_at = now()
      FROM unnest(${chunk.map((a) => a.id)}::uuid[], ${chunk.map((a) => a.firstName)}::text[], ${chunk.map((a) => a.lastName)}::text[],
        ${chunk.map((a) => a.gradeLevel)}::text[], ${chunk.map((a) => a.birthDate?.toISOString().slice(0, 10) ?? null)}::date[],
        ${chunk.map((a) => JSON.stringify(a.additionalInfo ?? {}))}::text[], ${chunk.map((a) => a.familyId)}::uuid[])
        AS v(id, first_name, last_name, grade_level, birth_date, additional_info, family_id)
      WHERE s.id = v.id`;
  }
}

/**
 * Applies a plan in the caller's transaction, in bulk (bulk.ts), with a change log line for every
 * record created or changed (reason: the import). Row-Level Security checks every row written.
 */
export async function applyPlan(tx: Tx, identity: Identity, plan: ImportPlan, importId: string): Promise<void> {
  const base = { actor: identity, tenantId: plan.tenantId, reason: `CSV import ${importId}` };
  const lines: ChangeLine[] = [];

  await insertRows(tx, 'families', FAMILY, plan.newFamilies);
  for (const f of plan.newFamilies)
    lines.push({
      ...base,
      action: 'family.created',
      entityType: 'family',
      entityId: f.id!,
      familyId: f.id!,
      after: familySnapshot(f as Parameters<typeof familySnapshot>[0]),
    });

  await insertRows(tx, 'students', STUDENT, plan.newStudents);
  for (const s of plan.newStudents)
    lines.push({
      ...base,
      action: 'student.created',
      entityType: 'student',
      entityId: s.id,
      studentId: s.id,
      familyId: s.familyId ?? null,
      after: studentSnapshot(s as Parameters<typeof studentSnapshot>[0]),
    });

  await updateStudents(tx, plan.changedStudents);
  for (const { before, after } of plan.changedStudents)
    lines.push({
      ...base,
      action: 'student.updated',
      entityType: 'student',
      entityId: before.id,
      studentId: before.id,
      familyId: after.familyId,
      ...diff(studentSnapshot(before), studentSnapshot(after)),
    });

  await insertRows(tx, 'guardians', GUARDIAN, plan.newGuardians);
  for (const g of plan.newGuardians)
    lines.push({
      ...base,
      action: 'guardian.added',
      entityType: 'guardian',
      entityId: g.id,
      familyId: g.familyId,
      after: guardianSnapshot(g as Parameters<typeof guardianSnapshot>[0]),
    });
  for (const { before, after } of plan.changedGuardians) {
    await tx.guardian.update({
      where: { id: before.id },
      data: { relationship: after.relationship, email: after.email, phone: after.phone },
    });
    lines.push({
      ...base,
      action: 'guardian.updated',
      entityType: 'guardian',
      entityId: before.id,
      familyId: before.familyId,
      ...diff(guardianSnapshot(before), guardianSnapshot(after)),
    });
  }
  await insertRows(tx, 'behavior_changes', CHANGE, lines);
}
