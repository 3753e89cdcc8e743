import { parseInput, type Identity } from '@pathway/kit';
import { z } from 'zod';
import { requestAccess, requestManageAccess, requestStudentAccess, studentAccess } from '../access.ts';
import type { OpenBehaviorRequestInput } from '../generated/graphql.ts';
import type { BehaviorRequest, Prisma } from '../generated/prisma/client.ts';
import { logChanges, type ChangeLine } from './changes.ts';
import { findManaged, optionalText, requiredText } from './records.ts';
import { checkTransition, isFinal, type RequestStatus } from './workflow.ts';

type Tx = Prisma.TransactionClient;

const requestFields = z.object({
  behaviorType: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z][a-z0-9_ -]{1,59}$/, 'must be 2–60 letters, digits, spaces, - or _ (e.g. disruption)'),
  description: requiredText(4000),
  metadata: z
    .record(z.string(), z.unknown(), 'must be a JSON object')
    .refine((v) => JSON.stringify(v).length <= 8192, 'must be at most 8 KB of JSON')
    .nullish()
    .transform((v) => (v ?? {}) as Prisma.InputJsonValue),
});

/** The request line of the student's history; the request's own history is the lines with its id. */
export const requestLine = (actor: Identity, r: BehaviorRequest, action: ChangeLine['action'], rest: Partial<ChangeLine>): ChangeLine => ({
  actor,
  tenantId: r.tenantId,
  action,
  entityType: 'request',
  entityId: r.id,
  studentId: r.studentId,
  ...rest,
});

/** A request the caller may move (behavior.request.manage, its student in their caseload), else FORBIDDEN / NOT_FOUND. */
export const findManagedRequest = (tx: Tx, identity: Identity, id: string) =>
  findManaged('The behavior request', identity, requestManageAccess, requestAccess, (where) => tx.behaviorRequest.findFirst({ where }), id);

/** Locks the request row for the rest of the transaction, so two status changes run one after the other. */
export async function lockRequest(tx: Tx, identity: Identity, id: string, find = findManagedRequest): Promise<BehaviorRequest> {
  await tx.$queryRaw`SELECT id FROM behavior_requests WHERE id = ${id}::uuid FOR UPDATE`;
  return find(tx, identity, id);
}

export async function openRequest(
  tx: Tx,
  identity: Identity,
  studentId: string,
  input: OpenBehaviorRequestInput,
): Promise<{ created: BehaviorRequest; student: { userId: string | null } }> {
  const fields = parseInput(requestFields, input, 'The behavior request');
  const student = await findManaged(
    'The student',
    identity,
    requestStudentAccess,
    studentAccess,
    (where) => tx.student.findFirst({ where }),
    studentId,
  );
  const created = await tx.behaviorRequest.create({
    data: { ...fields, tenantId: student.tenantId, studentId: student.id, facilityId: student.facilityId, teacherId: identity.userId },
  });
  await logChanges(tx, [
    requestLine(identity, created, 'request.opened', { after: { status: created.status, behaviorType: created.behaviorType } }),
  ]);
  return { created, student };
}

/** Moves a locked request along the workflow (writes/workflow.ts), with who, when and why in its history. */
export async function applyStatus(
  tx: Tx,
  identity: Identity,
  current: BehaviorRequest,
  to: RequestStatus,
  reason: string | null,
  byReflection = false,
): Promise<StatusChange> {
  const from = current.status as RequestStatus;
  checkTransition(from, to, byReflection);
  const now = new Date();
  const updated = await tx.behaviorRequest.update({
    where: { id: current.id },
    data: { status: to, statusChangedAt: now, closedAt: isFinal(to) ? now : null },
  });
  await logChanges(tx, [
    requestLine(identity, updated, 'request.status_changed', { reason, before: { status: from }, after: { status: to } }),
  ]);
  const student = await tx.student.findUniqueOrThrow({ where: { id: updated.studentId }, select: { userId: true } });
  return { updated, previousStatus: from, student };
}

export interface StatusChange {
  updated: BehaviorRequest;
  previousStatus: RequestStatus;
  /** The student's account, for the event's scope. */
  student: { userId: string | null };
}

/** changeBehaviorRequestStatus: the request locked, the caller allowed to move it, the move allowed. */
export async function changeRequestStatus(
  tx: Tx,
  identity: Identity,
  id: string,
  to: RequestStatus,
  why: string | null | undefined,
  byReflection = false,
): Promise<StatusChange> {
  const reason = parseInput(z.object({ reason: optionalText(1000) }), { reason: why }, 'The status change').reason;
  const current = await lockRequest(tx, identity, id);
  return applyStatus(tx, identity, current, to, reason, byReflection);
}
