import type { PageQuery } from '@pathway/kit';
import type { Prisma, WebhookDeliveryState, WebhookEndpoint } from '../generated/prisma/client.ts';
import { withSnapshots } from './history.ts';

type Tx = Prisma.TransactionClient;

/** A delivery as the job queue names it: each replay is a job of its own. */
export interface QueuedDelivery {
  id: string;
  replays: number;
}

/** `visible` in what follows: the caller's access filter (access.ts), ANDed in. */
export function listEndpoints(tx: Tx, visible: Prisma.WebhookEndpointWhereInput, page: PageQuery) {
  return tx.webhookEndpoint.findMany({
    where: { AND: [visible, page.where] },
    orderBy: page.orderBy,
    take: page.take,
  });
}

/** The endpoint, when `visible` lets it through; locked for the rest of the transaction. */
export async function lockEndpoint(tx: Tx, id: string, visible: Prisma.WebhookEndpointWhereInput): Promise<WebhookEndpoint | null> {
  const found = await tx.webhookEndpoint.findFirst({ where: { AND: [{ id }, visible] }, select: { id: true } });
  if (!found) return null;
  await tx.$queryRaw`SELECT id FROM webhook_endpoints WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.webhookEndpoint.findUnique({ where: { id } });
}

/** What a change record shows of an endpoint (never the secret). */
export const endpointSnapshot = (e: WebhookEndpoint) => ({
  url: e.url,
  eventTypes: e.eventTypes,
  facilityId: e.facilityId,
  integrationId: e.integrationId,
  status: e.status,
});

export function recordWebhookChange(
  tx: Tx,
  entry: { tenantId: string; endpointId: string; actorId: string | null; action: string; before?: object | null; after?: object | null },
) {
  return tx.webhookChange.create({ data: withSnapshots(entry) });
}

export function changesOfEndpoint(tx: Tx, endpointId: string, visible: Prisma.WebhookChangeWhereInput, page: PageQuery) {
  return tx.webhookChange.findMany({
    where: { AND: [{ endpointId }, visible, page.where] },
    orderBy: page.orderBy,
    take: page.take,
  });
}

export function listDeliveries(
  tx: Tx,
  endpointId: string,
  visible: Prisma.WebhookDeliveryWhereInput,
  state: WebhookDeliveryState | null,
  page: PageQuery,
) {
  return tx.webhookDelivery.findMany({
    where: { AND: [{ endpointId }, visible, state ? { state } : {}, page.where] },
    orderBy: page.orderBy,
    take: page.take,
  });
}

/** Active endpoints of the event's tenant that want its type (and its facility, when they name one). */
export function endpointsFor(tx: Tx, event: { tenantId: string; type: string; facilityId: string | null }) {
  return tx.webhookEndpoint.findMany({
    where: {
      tenantId: event.tenantId,
      status: 'active',
      eventTypes: { has: event.type },
      OR: [{ facilityId: null }, ...(event.facilityId ? [{ facilityId: event.facilityId }] : [])],
    },
    select: { id: true, tenantId: true },
  });
}

/** One delivery row per endpoint for the event, idempotent on (endpoint, event): a re-read event adds nothing. */
export async function createDeliveries(
  tx: Tx,
  event: { cursor: string; type: string },
  endpoints: { id: string; tenantId: string }[],
  body: string,
): Promise<QueuedDelivery[]> {
  await tx.webhookDelivery.createMany({
    data: endpoints.map((e) => ({ tenantId: e.tenantId, endpointId: e.id, eventId: event.cursor, eventType: event.type, body })),
    skipDuplicates: true,
  });
  return tx.webhookDelivery.findMany({
    where: { eventId: event.cursor, endpointId: { in: endpoints.map((e) => e.id) }, state: 'pending' },
    select: { id: true, replays: true },
  });
}

/** Pending deliveries untouched for a while: their job may have been lost between commit and enqueue. */
export function stalePendingDeliveries(tx: Tx, olderThan: Date, limit: number) {
  return tx.webhookDelivery.findMany({
    where: { state: 'pending', updatedAt: { lt: olderThan } },
    select: { id: true, replays: true },
    orderBy: { updatedAt: 'asc' },
    take: limit,
  });
}

/** Delivered rows are kept this long (dead ones until replayed or their endpoint is deleted). */
export const DELIVERED_RETENTION_DAYS = 30;

export function forgetOldDeliveries(tx: Tx, now = Date.now()) {
  return tx.webhookDelivery.deleteMany({
    where: { state: 'delivered', updatedAt: { lt: new Date(now - DELIVERED_RETENTION_DAYS * 86_400_000) } },
  });
}
