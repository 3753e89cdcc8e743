import { badInput, conflict, notFound, parseInput, uuidArg, type EventPublisher, type Identity } from '@pathway/kit';
import { z } from 'zod';
import { contentRequestAccess } from '../access.ts';
import type { ContentRequest, Prisma } from '../generated/prisma/client.ts';
import type { RequestContentInput } from '../generated/graphql.ts';
import { publishContentRequestChanged } from '../events.ts';

type Tx = Prisma.TransactionClient;

const requestSchema = z.object({
  title: z.string().trim().min(1, 'required').max(300, 'at most 300 characters'),
  details: z.string().trim().max(5000, 'at most 5000 characters').nullish(),
  url: z
    .string()
    .trim()
    .max(2048, 'at most 2048 characters')
    .refine((url) => URL.canParse(url) && ['http:', 'https:'].includes(new URL(url).protocol), 'must be an http:// or https:// URL')
    .nullish(),
});

/** A resident asks for content; the request is filed under their facility (its administrators answer). */
export async function requestContent(tx: Tx, identity: Identity, events: EventPublisher, raw: RequestContentInput) {
  const input = parseInput(requestSchema, raw, 'The content request');
  if (!identity.facilityId) throw badInput('Content requests are made by people placed at a facility.');
  const request = await tx.contentRequest.create({
    data: {
      tenantId: identity.tenantId,
      facilityId: identity.facilityId,
      userId: identity.userId,
      title: input.title,
      details: input.details || null,
      url: input.url || null,
    },
  });
  await publishContentRequestChanged(events.within(tx), request, null);
  return request;
}

/** Answers an open request (fulfilled or declined, with a note); an answered one stays as it is. */
export async function resolveContentRequest(
  tx: Tx,
  identity: Identity,
  events: EventPublisher,
  id: string,
  status: 'fulfilled' | 'declined',
  note: string | null | undefined,
): Promise<ContentRequest> {
  const requestId = uuidArg(id, 'id')!;
  const resolutionNote = note?.trim() || null;
  if (resolutionNote && resolutionNote.length > 2000) throw badInput('The note is too long.', { note: 'at most 2000 characters' });
  await tx.$queryRaw`SELECT id FROM content_requests WHERE id = ${requestId}::uuid FOR UPDATE`;
  // An administrator answers requests within reach; a resident's own request is not theirs to answer.
  const current = await tx.contentRequest.findFirst({
    where: { AND: [{ id: requestId }, contentRequestAccess.where(identity), { userId: { not: identity.userId } }] },
  });
  if (!current) throw notFound('The content request');
  if (current.status !== 'open')
    throw conflict(`The content request was already ${current.status}.`, {
      reason: 'INVALID_TRANSITION',
      from: current.status,
      to: status,
      allowed: [],
    });
  const updated = await tx.contentRequest.update({
    where: { id: current.id },
    data: { status, resolutionNote, resolvedBy: identity.userId, resolvedAt: new Date() },
  });
  await publishContentRequestChanged(events.within(tx), updated, current.status);
  return updated;
}
