import { parseInput, type Identity } from '@pathway/kit';
import { z } from 'zod';
import { requestAccess, requestReflectAccess } from '../access.ts';
import type { Prisma, Reflection } from '../generated/prisma/client.ts';
import { logChanges } from './changes.ts';
import { findManaged, optionalText, requiredText } from './records.ts';
import { applyStatus, changeRequestStatus, lockRequest, type StatusChange } from './requests.ts';

type Tx = Prisma.TransactionClient;

const reflectionFields = z.object({
  content: requiredText(10_000),
  moodRating: z.number().int('must be a whole number').min(1, 'must be 1–5').max(5, 'must be 1–5'),
  responses: z
    .array(z.object({ prompt: requiredText(500), answer: optionalText(4000) }))
    .max(20, 'must be at most 20 answers')
    .nullish()
    .transform((v) => v ?? []),
});

/** The student's own request (behavior.reflection.write); someone else's is NOT_FOUND (they cannot see it) or FORBIDDEN (a teacher). */
const findOwnRequest = (tx: Tx, identity: Identity, id: string) =>
  findManaged(
    'The behavior request',
    identity,
    requestReflectAccess,
    requestAccess,
    (where) => tx.behaviorRequest.findFirst({ where }),
    id,
  );

/**
 * The student writes the reflection of a request assigned to them (status reflection_assigned),
 * which moves the request to reflection_completed. One reflection per request: a second is a
 * CONFLICT (the request is no longer reflection_assigned). The history records that it was
 * completed, never what it says.
 */
export async function submitReflection(
  tx: Tx,
  identity: Identity,
  requestId: string,
  input: unknown,
): Promise<StatusChange & { reflection: Reflection }> {
  const fields = parseInput(reflectionFields, input, 'The reflection');
  const request = await lockRequest(tx, identity, requestId, findOwnRequest);
  const change = await applyStatus(tx, identity, request, 'reflection_completed', null, true);
  const reflection = await tx.reflection.create({
    data: { ...fields, tenantId: request.tenantId, requestId: request.id, studentId: request.studentId },
  });
  await logChanges(tx, [
    {
      actor: identity,
      tenantId: request.tenantId,
      action: 'reflection.completed',
      entityType: 'reflection',
      entityId: reflection.id,
      studentId: request.studentId,
    },
  ]);
  return { ...change, reflection };
}

/** The teacher (or an admin) reviews a completed reflection: the request becomes reviewed, the reflection records who and when. */
export async function reviewReflection(
  tx: Tx,
  identity: Identity,
  requestId: string,
  note: string | null | undefined,
): Promise<StatusChange & { reflection: Reflection }> {
  const reviewNote = parseInput(z.object({ note: optionalText(2000) }), { note }, 'The review').note;
  const change = await changeRequestStatus(tx, identity, requestId, 'reviewed', null, true);
  const reflection = await tx.reflection.update({
    where: { requestId: change.updated.id },
    data: { reviewedAt: new Date(), reviewedById: identity.userId, reviewNote },
  });
  await logChanges(tx, [
    {
      actor: identity,
      tenantId: reflection.tenantId,
      action: 'reflection.reviewed',
      entityType: 'reflection',
      entityId: reflection.id,
      studentId: reflection.studentId,
    },
  ]);
  return { ...change, reflection };
}
