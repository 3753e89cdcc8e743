import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EVENT_STREAM, connectRedis, type Redis } from '@pathway/kit';
import { facilities, tenants, users } from '../scripts/demo/ids.ts';
import { WEBHOOK_GROUP } from '../subgraphs/identity/src/webhooks/dispatcher.ts';
import { verifyWebhookSignature } from '../subgraphs/identity/src/webhooks/signature.ts';
import { gql, tokenFor } from './support/client.ts';
import { eventually, startReceiver } from './support/webhook-receiver.ts';

// An identity instance that read an event from the consumer group and died before fanning it out:
// the event stays pending in the group, and a live instance takes it over (XAUTOCLAIM, after
// WEBHOOK_CLAIM_IDLE_MS, 1 s in tests) and delivers it once.
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

describe('webhook fan-out after a crash', () => {
  it('takes over an event a crashed instance read but never acknowledged, and delivers it once', async () => {
    const path = `/recovered-${randomUUID()}`;
    const res = await gql<{ registerWebhookEndpoint: { secret: string } }>(
      `mutation($url: String!) { registerWebhookEndpoint(input: { url: $url, eventTypes: ["identity.notification.added"] }) { secret } }`,
      { url: receiver.url(path) },
      { token: await tokenFor(users.deptAdmin.username) },
    );
    const { secret } = res.data!.registerWebhookEndpoint;
    const entityId = randomUUID();
    const event = { type: 'identity.notification.added', tenantId: tenants.lakeshore, facilityId: facilities.northRidge.id, entityId, payload: { notificationType: 'info' }, source: 'identity', occurredAt: new Date().toISOString() };
    // Standing in for the crashed instance: in one transaction, so identity's blocked reader cannot
    // get the entry first, publish it and read it as consumer "crashed", then never acknowledge it.
    const [[, id], [, read]] = (await redis.multi().xadd(EVENT_STREAM, '*', 'event', JSON.stringify(event)).xreadgroup('GROUP', WEBHOOK_GROUP, 'crashed', 'COUNT', 1, 'STREAMS', EVENT_STREAM, '>').exec()) as [[null, string], [null, [string, [string, string[]][]][]]];
    expect(read[0]![1].map(([entryId]) => entryId)).toEqual([id]);

    const [hook] = await eventually(() => (receiver.about(path, entityId).length ? receiver.about(path, entityId) : null), 'the taken-over delivery');
    expect(JSON.parse(hook!.body)).toMatchObject({ id, entityId, type: event.type });
    expect(verifyWebhookSignature(secret, hook!.body, hook!.headers['pathway-signature'] as string)).toBe(true);
    // Acknowledged by the live instance: nothing of it is pending any more, for anyone.
    await eventually(async () => ((await redis.xpending(EVENT_STREAM, WEBHOOK_GROUP, id, id, 10)) as unknown[]).length === 0, 'the acknowledgement');
    expect(receiver.about(path, entityId)).toHaveLength(1);
  });
});
