import { conflict, notFound, pageQuery, toConnection, type PageArgs } from '@pathway/kit';
import type { ResolverContext } from '../context.ts';
import type { Prisma, WebhookDeliveryState } from '../generated/prisma/client.ts';
import { changesOfEndpoint, listDeliveries, lockEndpoint, recordWebhookChange, type QueuedDelivery } from '../data/webhooks.ts';
import { webhookChangeAccess, webhookDeliveryAccess, webhookEndpointAccess } from '../access.ts';

type Tx = Prisma.TransactionClient;

/** The endpoint's deliveries, newest first, optionally of one state (`dead`: the dead-letter list). */
export async function listWebhookDeliveries(
  ctx: ResolverContext,
  args: PageArgs & { endpointId: string; state?: WebhookDeliveryState | null },
) {
  const query = pageQuery(args, 'createdAt', 'desc');
  const rows = await ctx.db.read(async (tx) => {
    const endpoint = { AND: [{ id: args.endpointId }, webhookEndpointAccess.where(ctx.identity)] };
    if (!(await tx.webhookEndpoint.findFirst({ where: endpoint, select: { id: true } }))) throw notFound('Webhook endpoint');
    return listDeliveries(tx, args.endpointId, webhookDeliveryAccess.where(ctx.identity), args.state ?? null, query);
  });
  return toConnection(rows, query, 'createdAt');
}

/** Who changed the endpoint or replayed its deliveries, newest first (the endpoint was already found in scope). */
export async function webhookChangeLog(ctx: ResolverContext, endpointId: string, page: PageArgs) {
  const query = pageQuery(page, 'createdAt', 'desc');
  return toConnection(
    await ctx.db.read((tx) => changesOfEndpoint(tx, endpointId, webhookChangeAccess.where(ctx.identity), query)),
    query,
    'createdAt',
  );
}

/** Back to pending for a fresh round of attempts; each replay is a job of its own. */
const requeue = (tx: Tx, where: Prisma.WebhookDeliveryWhereInput) =>
  tx.webhookDelivery.updateManyAndReturn({
    where,
    data: { state: 'pending', replays: { increment: 1 }, nextAttemptAt: new Date(), lastError: null },
    select: { id: true, replays: true },
  });

async function lockActiveEndpoint(ctx: ResolverContext, tx: Tx, endpointId: string) {
  const endpoint = await lockEndpoint(tx, endpointId, webhookEndpointAccess.where(ctx.identity));
  if (!endpoint) throw notFound('Webhook endpoint');
  if (endpoint.status !== 'active')
    throw conflict('The endpoint is disabled; enable it before replaying.', { reason: 'ENDPOINT_DISABLED' });
  return endpoint;
}

/** Sends a delivered or dead delivery again (a pending one is already on its way: CONFLICT). */
export async function replayWebhookDelivery(ctx: ResolverContext, id: string) {
  const { row, queued } = await ctx.db.run(async (tx) => {
    const found = await tx.webhookDelivery.findFirst({
      where: { AND: [{ id }, webhookDeliveryAccess.where(ctx.identity)] },
      select: { endpointId: true },
    });
    if (!found) throw notFound('Webhook delivery');
    const endpoint = await lockActiveEndpoint(ctx, tx, found.endpointId);
    const queued = await requeue(tx, { id, state: { in: ['delivered', 'dead'] } });
    if (!queued.length) throw conflict('That delivery is still being attempted.', { reason: 'DELIVERY_PENDING' });
    await recordWebhookChange(tx, {
      tenantId: endpoint.tenantId,
      endpointId: endpoint.id,
      actorId: ctx.identity.userId,
      action: 'delivery_replayed',
      after: { deliveryId: id },
    });
    return { row: await tx.webhookDelivery.findUniqueOrThrow({ where: { id } }), queued };
  });
  await ctx.webhookQueue.enqueue(queued satisfies QueuedDelivery[]);
  return row;
}

/** Sends every dead delivery of the endpoint again; returns how many. */
export async function replayDeadWebhookDeliveries(ctx: ResolverContext, endpointId: string) {
  const queued = await ctx.db.run(async (tx) => {
    const endpoint = await lockActiveEndpoint(ctx, tx, endpointId);
    const queued = await requeue(tx, { endpointId, state: 'dead' });
    if (queued.length)
      await recordWebhookChange(tx, {
        tenantId: endpoint.tenantId,
        endpointId,
        actorId: ctx.identity.userId,
        action: 'dead_deliveries_replayed',
        after: { count: queued.length },
      });
    return queued;
  });
  await ctx.webhookQueue.enqueue(queued);
  return queued.length;
}
