import { conflict, notFound, parseInput, uuidArg, type Identity } from '@pathway/kit';
import { z } from 'zod';
import { interventionAccess, interventionManageAccess, interventionStudentAccess, studentAccess } from '../access.ts';
import type { PlanInterventionInput } from '../generated/graphql.ts';
import type { Intervention, Prisma, ProgressNote } from '../generated/prisma/client.ts';
import { logChanges, type ChangeLine } from './changes.ts';
import { findManaged, optionalText, requiredText } from './records.ts';

type Tx = Prisma.TransactionClient;

/** planned → active → completed; planned or active → discontinued. completed and discontinued are final. */
export const INTERVENTION_TRANSITIONS: Record<string, string[]> = {
  planned: ['active', 'discontinued'],
  active: ['completed', 'discontinued'],
  completed: [],
  discontinued: [],
};

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .transform((v) => new Date(`${v}T00:00:00Z`))
  .refine((d) => !Number.isNaN(d.getTime()), 'must be a real date')
  .nullish()
  .transform((v) => v ?? null);

const interventionFields = z
  .object({ interventionType: requiredText(100), description: requiredText(4000), startedOn: day, endedOn: day })
  .refine((v) => !v.startedOn || !v.endedOn || v.endedOn >= v.startedOn, { path: ['endedOn'], message: 'is before startedOn' });

const line = (actor: Identity, i: Intervention, action: ChangeLine['action'], rest: Partial<ChangeLine>): ChangeLine => ({
  actor,
  tenantId: i.tenantId,
  action,
  entityType: 'intervention',
  entityId: i.id,
  studentId: i.studentId,
  ...rest,
});

const findManagedIntervention = (tx: Tx, identity: Identity, id: string) =>
  findManaged(
    'The intervention',
    identity,
    interventionManageAccess,
    interventionAccess,
    (where) => tx.intervention.findFirst({ where }),
    id,
  );

export async function planIntervention(tx: Tx, identity: Identity, studentId: string, input: PlanInterventionInput): Promise<Intervention> {
  const fields = parseInput(interventionFields, input, 'The intervention');
  const requestId = uuidArg(input.requestId, 'requestId');
  const student = await findManaged(
    'The student',
    identity,
    interventionStudentAccess,
    studentAccess,
    (where) => tx.student.findFirst({ where }),
    studentId,
  );
  if (requestId && !(await tx.behaviorRequest.findFirst({ where: { id: requestId, studentId: student.id } })))
    throw notFound('The behavior request');
  const created = await tx.intervention.create({
    data: { ...fields, requestId: requestId ?? null, tenantId: student.tenantId, studentId: student.id, createdById: identity.userId },
  });
  await logChanges(tx, [
    line(identity, created, 'intervention.created', { after: { interventionType: created.interventionType, status: created.status } }),
  ]);
  return created;
}

export async function changeInterventionStatus(
  tx: Tx,
  identity: Identity,
  id: string,
  to: string,
  why?: string | null,
): Promise<Intervention> {
  const reason = parseInput(z.object({ reason: optionalText(1000) }), { reason: why }, 'The status change').reason;
  await tx.$queryRaw`SELECT id FROM interventions WHERE id = ${id}::uuid FOR UPDATE`;
  const current = await findManagedIntervention(tx, identity, id);
  if (current.status === to) throw conflict(`The intervention is already ${to}.`, { reason: 'ALREADY_IN_STATE' });
  const allowed = INTERVENTION_TRANSITIONS[current.status] ?? [];
  if (!allowed.includes(to))
    throw conflict(`A ${current.status} intervention cannot become ${to}.`, {
      reason: 'INVALID_TRANSITION',
      from: current.status,
      to,
      allowed,
    });
  const today = new Date(new Date().toISOString().slice(0, 10));
  const updated = await tx.intervention.update({
    where: { id: current.id },
    data: {
      status: to,
      startedOn: to === 'active' ? (current.startedOn ?? today) : current.startedOn,
      endedOn: INTERVENTION_TRANSITIONS[to]!.length === 0 ? (current.endedOn ?? today) : current.endedOn,
    },
  });
  await logChanges(tx, [
    line(identity, updated, 'intervention.status_changed', { reason, before: { status: current.status }, after: { status: to } }),
  ]);
  return updated;
}

const noteFields = z.object({
  note: requiredText(4000),
  progress: z
    .number()
    .int()
    .min(1, 'must be 1–5')
    .max(5, 'must be 1–5')
    .nullish()
    .transform((v) => v ?? null),
});

/** A progress note on an intervention that is planned or active (a finished one takes no more: CONFLICT). */
export async function addProgressNote(tx: Tx, identity: Identity, interventionId: string, input: unknown): Promise<ProgressNote> {
  const fields = parseInput(noteFields, input, 'The progress note');
  const intervention = await findManagedIntervention(tx, identity, interventionId);
  if (INTERVENTION_TRANSITIONS[intervention.status]!.length === 0)
    throw conflict(`The intervention is ${intervention.status}; it takes no more notes.`, {
      reason: 'RECORD_CLOSED',
      status: intervention.status,
    });
  const created = await tx.progressNote.create({
    data: { ...fields, tenantId: intervention.tenantId, interventionId: intervention.id, authorId: identity.userId },
  });
  await logChanges(tx, [line(identity, intervention, 'progress.noted', { after: { progress: created.progress } })]);
  return created;
}
