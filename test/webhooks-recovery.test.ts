import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EVENT_STREAM, connectRedis, type Redis } from '@pathway/kit';
import { facilities, tenants, users } from '../scripts/demo/ids.ts';
import { WEBHOOK_GROUP } from '../subgraphs/identity/src/webhooks/dispatcher.ts';
import { verifyWebhookSignature } from '../subgraphs/identity/src/webhooks/signature.ts';
import { gql, tokenFor } from './support/client.ts';
import { eventually, startReceiver } from './support/webhook-receiver.ts';

// The dispatcher's upkeep (every WEBHOOK_CLAIM_IDLE_MS / 2 at most; the claim idle time is 1 s in
// tests). An identity instance that read an event from the consumer group and died before fanning it
// out: the event stays pending in the group, and a live instance takes it over (XAUTOCLAIM) and
// delivers it once. Old delivered rows are forgotten; dead ones stay for the dead-letter list.
let redis: Redis;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  redis = connectRedis(inject('redisUrl'), 'webhooks-recovery-test');
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await redis.quit();
});

const dept = () => tokenFor(users.deptAdmin.username);

async function register(path: string) {
  const res = await gql<{ registerWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(
    `mutation($url: String!) { registerWebhookEndpoint(input: { url: $url, eventTypes: ["identity.notification.added"] }) { secret endpoint { id } } }`,
    { url: receiver.url(path) },
    { token: await dept() },
  );
  return res.data!.registerWebhookEndpoint;
}

/** An event as a subgraph would publish it (this test stands in for one). */
const notificationEvent = (entityId: string) => ({
  type: 'identity.notification.added',
  tenantId: tenants.lakeshore,
  facilityId: facilities.northRidge.id,
  entityId,
  payload: { notificationType: 'info' },
  source: 'identity',
  occurredAt: new Date().toISOString(),
});

async function deliveryStates(endpointId: string): Promise<string[]> {
  const res = await gql<{ webhookDeliveries: { nodes: { state: string }[] } }>(
    `query($e: UUID!) { webhookDeliveries(endpointId: $e) { nodes { state } } }`,
    { e: endpointId },
    { token: await dept() },
  );
  return res.data!.webhookDeliveries.nodes.map((n) => n.state);
}

describe('webhook dispatcher upkeep', () => {
  it('takes over an event a crashed instance read but never acknowledged, and delivers it once', async () => {
    const path = `/recovered-${randomUUID()}`;
    const { secret } = await register(path);
    const entityId = randomUUID();
    const event = notificationEvent(entityId);
    // Standing in for the crashed instance: in one transaction, so identity's blocked reader cannot
    // get the entry first, publish it and read it as consumer "crashed", then never acknowledge it.
    const [[, id], [, read]] = (await redis
      .multi()
      .xadd(EVENT_STREAM, '*', 'event', JSON.stringify(event))
      .xreadgroup('GROUP', WEBHOOK_GROUP, 'crashed', 'COUNT', 1, 'STREAMS', EVENT_STREAM, '>')
      .exec()) as [[null, string], [null, [string, [string, string[]][]][]]];
    expect(read[0]![1].map(([entryId]) => entryId)).toEqual([id]);

    const [hook] = await eventually(
      () => (receiver.about(path, entityId).length ? receiver.about(path, entityId) : null),
      'the taken-over delivery',
    );
    expect(JSON.parse(hook!.body)).toMatchObject({ id, entityId, type: event.type });
    expect(verifyWebhookSignature(secret, hook!.body, hook!.headers['pathway-signature'] as string)).toBe(true);
    // Acknowledged by the live instance: nothing of it is pending any more, for anyone.
    await eventually(
      async () => ((await redis.xpending(EVENT_STREAM, WEBHOOK_GROUP, id, id, 10)) as unknown[]).length === 0,
      'the acknowledgement',
    );
    expect(receiver.about(path, entityId)).toHaveLength(1);
  });

  it('forgets delivered rows older than 30 days and keeps dead ones (the dead-letter list)', async () => {
    const [healthy, failing] = [`/kept-${randomUUID()}`, `/dead-${randomUUID()}`];
    receiver.answer(failing, 500);
    const [ok, bad] = [await register(healthy), await register(failing)];
    await redis.xadd(EVENT_STREAM, '*', 'event', JSON.stringify(notificationEvent(randomUUID())));
    await eventually(
      async () =>
        (await deliveryStates(ok.endpoint.id)).join() === 'delivered' && (await deliveryStates(bad.endpoint.id)).join() === 'dead',
      'one delivered and one dead row',
    );

    const db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await db.connect();
    try {
      await db.query(`UPDATE identity.webhook_deliveries SET updated_at = now() - interval '31 days' WHERE endpoint_id = ANY($1::uuid[])`, [
        [ok.endpoint.id, bad.endpoint.id],
      ]);
    } finally {
      await db.end();
    }
    await eventually(async () => (await deliveryStates(ok.endpoint.id)).length === 0, 'the old delivered row to go');
    expect(await deliveryStates(bad.endpoint.id)).toEqual(['dead']);
  });
});
