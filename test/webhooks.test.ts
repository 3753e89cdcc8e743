import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facilities, tenants, users } from '../scripts/demo/ids.ts';
import { signatureHeader, verifyWebhookSignature } from '../subgraphs/identity/src/webhooks/signature.ts';
import { codes, gql, tokenFor } from './support/client.ts';
import { eventually, startReceiver } from './support/webhook-receiver.ts';

// Webhooks for integrators: a real HTTPS receiver on localhost (the run's test certificate, trusted by
// identity through WEBHOOK_CA_FILE), events from real mutations through the gateway. The test stack
// retries 3 times, 200 ms doubling (test/support/global-setup.ts).
const REGISTER = `mutation($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { secret endpoint { id tenantId url eventTypes facilityId status } } }`;
const DELIVERIES = `query($e: UUID!, $s: WebhookDeliveryState) { webhookDeliveries(endpointId: $e, state: $s, first: 100) { nodes { id eventId eventType body state attempts lastStatusCode } } }`;
const SEND = `mutation($u: UUID!, $input: NotificationInput!) { sendNotification(userId: $u, input: $input) { id } }`;
const ENDPOINTS = `{ webhookEndpoints(first: 100) { nodes { id url eventTypes status secretSetAt } } }`;
const NOTIFICATION = 'identity.notification.added';

type Delivery = {
  id: string;
  eventId: string;
  eventType: string;
  body: string;
  state: string;
  attempts: number;
  lastStatusCode: number | null;
};
type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const dept = () => tokenFor(users.deptAdmin.username);
const sys = () => tokenFor(users.sysadmin.username);

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

async function register(input: Record<string, unknown>, token?: string) {
  const res = await gql<{ registerWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(
    REGISTER,
    { input },
    { token: token ?? (await dept()) },
  );
  if (!res.data?.registerWebhookEndpoint) throw new Error(JSON.stringify(res.errors));
  return res.data.registerWebhookEndpoint;
}

/** A notification for resident Lee (North Ridge, Lakeshore): emits identity.notification.added; returns its id (the envelope's entityId). */
async function notifyLee(): Promise<string> {
  const res = await gql<{ sendNotification: { id: string } }>(
    SEND,
    { u: users.residentLee.id, input: { type: 'info', title: 'Webhook', message: 'Hello' } },
    { token: await dept() },
  );
  return res.data!.sendNotification.id;
}

async function deliveries(endpointId: string, token?: string, state?: string): Promise<Delivery[]> {
  const res = await gql<{ webhookDeliveries: { nodes: Delivery[] } }>(
    DELIVERIES,
    { e: endpointId, s: state ?? null },
    { token: token ?? (await dept()) },
  );
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.webhookDeliveries.nodes;
}

/** The requests to `path` about `entityId`, once there is one. */
const arrived = (at: string, entityId: string) =>
  eventually(() => {
    const hooks = receiver.about(at, entityId);
    return hooks.length ? hooks : null;
  }, `a delivery to ${at}`);

const path = () => `/hook-${randomBytes(4).toString('hex')}`;

describe('webhooks', () => {
  it('deliver to a plain-http receiver on 127.0.0.1 where WEBHOOK_ALLOW_PRIVATE_NETWORKS is on (the test stack, like development), signed', async () => {
    const local = await startReceiver({ plain: true });
    try {
      const at = path();
      const endpoint = await register({ url: local.url(at), eventTypes: [NOTIFICATION] });
      expect(local.url(at)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hook-/);
      const notificationId = await notifyLee();
      const [hook] = await eventually(
        () => (local.about(at, notificationId).length ? local.about(at, notificationId) : null),
        'a local delivery',
      );
      expect(verifyWebhookSignature(endpoint.secret, hook!.body, hook!.headers['pathway-signature'] as string)).toBe(true);
      expect(JSON.parse(hook!.body)).toMatchObject({ type: NOTIFICATION, entityId: notificationId });
    } finally {
      await local.close();
    }
  });

  it('delivers an event to its tenant’s endpoint, signed, as the documented envelope; other tenants, event types and facilities get nothing', async () => {
    const [a, b, c, d] = [path(), path(), path(), path()];
    const mine = await register({ url: receiver.url(a), eventTypes: [NOTIFICATION] });
    const otherTenant = await register({ url: receiver.url(b), eventTypes: [NOTIFICATION], tenantId: tenants.riverside }, await sys());
    const otherType = await register({ url: receiver.url(c), eventTypes: ['identity.user.created'] });
    const otherFacility = await register({ url: receiver.url(d), eventTypes: [NOTIFICATION], facilityId: facilities.cedarValley.id });
    expect(mine.secret).toMatch(/^whsec_/);

    const notificationId = await notifyLee();
    const [hook] = await arrived(a, notificationId);
    const envelope = JSON.parse(hook!.body) as Record<string, unknown>;
    expect(Object.keys(envelope).sort()).toEqual(['data', 'entityId', 'facilityId', 'id', 'occurredAt', 'tenantId', 'type']);
    expect(envelope).toMatchObject({
      type: NOTIFICATION,
      tenantId: tenants.lakeshore,
      facilityId: facilities.northRidge.id,
      entityId: notificationId,
      data: { notificationType: 'info' },
    });
    expect(hook!.headers['pathway-event-id']).toBe(envelope.id);
    expect(hook!.headers['pathway-event-type']).toBe(NOTIFICATION);
    expect(verifyWebhookSignature(mine.secret, hook!.body, hook!.headers['pathway-signature'] as string)).toBe(true);
    expect(verifyWebhookSignature(otherType.secret, hook!.body, hook!.headers['pathway-signature'] as string)).toBe(false);

    const delivered = await eventually(
      async () => (await deliveries(mine.endpoint.id)).find((x) => x.eventId === envelope.id && x.state === 'delivered'),
      'the delivered row',
    );
    expect(delivered).toMatchObject({ id: hook!.headers['pathway-delivery-id'], body: hook!.body, attempts: 1, lastStatusCode: 200 });
    // Every delivery of one event is written before any is sent, so "none" is final here.
    expect((await deliveries(otherTenant.endpoint.id, await sys())).map((x) => x.eventId)).not.toContain(envelope.id);
    expect((await deliveries(otherType.endpoint.id)).map((x) => x.eventId)).not.toContain(envelope.id);
    expect((await deliveries(otherFacility.endpoint.id)).map((x) => x.eventId)).not.toContain(envelope.id);
    for (const other of [b, c, d]) expect(receiver.about(other, notificationId)).toEqual([]);
  });

  it('a receiver’s check fails for a tampered body, a stale timestamp or another secret', async () => {
    const secret = 'whsec_test';
    const body = JSON.stringify({ id: '1-0', type: NOTIFICATION });
    const now = Math.floor(Date.now() / 1000);
    expect(verifyWebhookSignature(secret, body, signatureHeader(secret, body, now))).toBe(true);
    expect(verifyWebhookSignature(secret, body.replace('1-0', '2-0'), signatureHeader(secret, body, now))).toBe(false);
    expect(verifyWebhookSignature(secret, body, signatureHeader(secret, body, now - 301))).toBe(false);
    expect(verifyWebhookSignature(secret, body, signatureHeader(secret, body, now + 301))).toBe(false);
    expect(verifyWebhookSignature('whsec_other', body, signatureHeader(secret, body, now))).toBe(false);
    expect(verifyWebhookSignature(secret, body, `t=${now},v1=zz`)).toBe(false);
    expect(verifyWebhookSignature(secret, body, undefined)).toBe(false);
  });

  it('retries a failing endpoint with growing delays, dead-letters it after 3 attempts; an admin lists and replays it to the healed endpoint', async () => {
    const flaky = path();
    receiver.answer(flaky, 500);
    const { endpoint } = await register({ url: receiver.url(flaky), eventTypes: [NOTIFICATION] });
    const [first, second] = [await notifyLee(), await notifyLee()];

    const dead = await eventually(async () => {
      const rows = await deliveries(endpoint.id, undefined, 'dead');
      return rows.length === 2 && rows;
    }, 'two dead deliveries');
    expect(dead.map((x) => [x.attempts, x.lastStatusCode])).toEqual([
      [3, 500],
      [3, 500],
    ]);
    const tries = receiver.about(flaky, first);
    expect(tries).toHaveLength(3);
    expect(new Set(tries.map((t) => t.headers['pathway-delivery-id'])).size).toBe(1);
    expect(new Set(tries.map((t) => t.body)).size).toBe(1);
    // Exponential backoff (200 ms, then 400 ms): lower bounds only, a slow machine only adds to them.
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(200);
    expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(400);
    expect(await deliveries(endpoint.id, undefined, 'delivered')).toEqual([]);

    receiver.answer(flaky, 204);
    const firstDelivery = dead.find((x) => JSON.parse(x.body).entityId === first)!;
    const replayed = await gql<{ replayWebhookDelivery: { state: string } }>(
      `mutation($id: UUID!) { replayWebhookDelivery(id: $id) { state } }`,
      { id: firstDelivery.id },
      { token: await dept() },
    );
    expect(replayed.data!.replayWebhookDelivery.state).toBe('pending');
    const rest = await gql<{ replayDeadWebhookDeliveries: number }>(
      `mutation($e: UUID!) { replayDeadWebhookDeliveries(endpointId: $e) }`,
      { e: endpoint.id },
      { token: await dept() },
    );
    expect(rest.data!.replayDeadWebhookDeliveries).toBe(1);

    const healed = await eventually(async () => {
      const rows = await deliveries(endpoint.id, undefined, 'delivered');
      return rows.length === 2 && rows;
    }, 'both delivered after the replays');
    expect(healed.map((x) => [x.attempts, x.lastStatusCode])).toEqual([
      [4, 204],
      [4, 204],
    ]);
    expect(receiver.about(flaky, first)).toHaveLength(4);
    expect(receiver.about(flaky, second)).toHaveLength(4);

    const log = await gql<{
      webhookEndpoints: { nodes: { id: string; changeLog: { nodes: { action: string; actor: { id: string } | null }[] } }[] };
    }>(`{ webhookEndpoints(first: 100) { nodes { id changeLog { nodes { action actor { id } } } } } }`, {}, { token: await dept() });
    const changes = log.data!.webhookEndpoints.nodes.find((n) => n.id === endpoint.id)!.changeLog.nodes;
    expect(changes.map((x) => x.action)).toEqual(['dead_deliveries_replayed', 'delivery_replayed', 'registered']);
    expect(changes.every((x) => x.actor?.id === users.deptAdmin.id)).toBe(true);
  });

  it('is FORBIDDEN to non-admins; bad URLs and event types are BAD_USER_INPUT; another tenant’s endpoint is NOT_FOUND; nothing is written', async () => {
    const input = { url: receiver.url(path()), eventTypes: [NOTIFICATION] };
    const before = (await gql<{ webhookEndpoints: { nodes: unknown[] } }>(ENDPOINTS, {}, { token: await dept() })).data!.webhookEndpoints
      .nodes.length;
    for (const who of [users.facilityAdmin, users.teacher, users.residentLee, users.analyst, users.integrator]) {
      const token = await tokenFor(who.username);
      expect(codes(await gql(REGISTER, { input }, { token }))).toEqual(['FORBIDDEN']);
      expect(codes(await gql(ENDPOINTS, {}, { token }))).toEqual(['FORBIDDEN']);
    }
    const bad = async (patch: Record<string, unknown>) => {
      const res = await gql(REGISTER, { input: { ...input, ...patch } }, { token: await dept() });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      return Object.keys((res.errors![0]!.extensions as { fieldErrors: Record<string, string> }).fieldErrors);
    };
    expect(await bad({ url: 'http://hooks.example.org/in' })).toEqual(['url']);
    expect(await bad({ url: 'ftp://127.0.0.1/in' })).toEqual(['url']);
    expect(await bad({ url: 'not a url' })).toEqual(['url']);
    expect(await bad({ eventTypes: ['identity.nothing.happened'] })).toEqual(['eventTypes.0']);
    expect(await bad({ eventTypes: [] })).toEqual(['eventTypes']);
    expect(codes(await gql(REGISTER, { input: { ...input, tenantId: tenants.riverside } }, { token: await dept() }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(
      (await gql<{ webhookEndpoints: { nodes: unknown[] } }>(ENDPOINTS, {}, { token: await dept() })).data!.webhookEndpoints.nodes,
    ).toHaveLength(before);

    const riverside = await register({ url: receiver.url(path()), eventTypes: [NOTIFICATION], tenantId: tenants.riverside }, await sys());
    const id = riverside.endpoint.id;
    const token = await dept();
    expect(codes(await gql(DELIVERIES, { e: id }, { token }))).toEqual(['NOT_FOUND']);
    expect(
      codes(await gql(`mutation($id: UUID!) { updateWebhookEndpoint(id: $id, input: { status: disabled }) { id } }`, { id }, { token })),
    ).toEqual(['NOT_FOUND']);
    expect(codes(await gql(`mutation($id: UUID!) { rotateWebhookSecret(id: $id) { secret } }`, { id }, { token }))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(`mutation($id: UUID!) { deleteWebhookEndpoint(id: $id) }`, { id }, { token }))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(`mutation($id: UUID!) { replayDeadWebhookDeliveries(endpointId: $id) }`, { id }, { token }))).toEqual([
      'NOT_FOUND',
    ]);
    const list = await gql<{ webhookEndpoints: { nodes: { id: string; status: string }[] } }>(ENDPOINTS, {}, { token: await sys() });
    expect(list.data!.webhookEndpoints.nodes.find((n) => n.id === id)?.status).toBe('active');
  });

  it('returns the secret only at registration and rotation (deliveries then use the new one); records changes; delete removes the endpoint', async () => {
    const hooks = path();
    const registered = await register({ url: receiver.url(hooks), eventTypes: [NOTIFICATION, 'identity.user.created'] });
    const { id } = registered.endpoint;
    const listed = await gql(ENDPOINTS, {}, { token: await dept() });
    expect(JSON.stringify(listed)).not.toContain(registered.secret);
    expect(codes(await gql(`{ webhookEndpoints { nodes { secret } } }`, {}, { token: await dept() }))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);

    const rotated = await gql<{ rotateWebhookSecret: { secret: string } }>(
      `mutation($id: UUID!) { rotateWebhookSecret(id: $id) { secret endpoint { id } } }`,
      { id },
      { token: await dept() },
    );
    const secret = rotated.data!.rotateWebhookSecret.secret;
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(registered.secret);
    const notificationId = await notifyLee();
    const [hook] = await arrived(hooks, notificationId);
    expect(verifyWebhookSignature(secret, hook!.body, hook!.headers['pathway-signature'] as string)).toBe(true);
    expect(verifyWebhookSignature(registered.secret, hook!.body, hook!.headers['pathway-signature'] as string)).toBe(false);

    const updated = await gql<{ updateWebhookEndpoint: { status: string; eventTypes: string[] } }>(
      `mutation($id: UUID!) { updateWebhookEndpoint(id: $id, input: { status: disabled, eventTypes: ["identity.user.created"] }) { status eventTypes changeLog { nodes { action before after } } } }`,
      { id },
      { token: await dept() },
    );
    expect(updated.data!.updateWebhookEndpoint).toMatchObject({ status: 'disabled', eventTypes: ['identity.user.created'] });
    const changes = (
      updated.data!.updateWebhookEndpoint as unknown as {
        changeLog: { nodes: { action: string; before: { status: string } | null; after: { status: string } }[] };
      }
    ).changeLog.nodes;
    expect(changes.map((x) => x.action)).toEqual(['updated', 'secret_rotated', 'registered']);
    expect([changes[0]!.before!.status, changes[0]!.after.status]).toEqual(['active', 'disabled']);
    expect(JSON.stringify(changes)).not.toContain(secret);
    const replay = await gql(`mutation($id: UUID!) { replayDeadWebhookDeliveries(endpointId: $id) }`, { id }, { token: await dept() });
    expect(replay.errors?.map((e) => [e.extensions?.code, e.extensions?.reason])).toEqual([['CONFLICT', 'ENDPOINT_DISABLED']]);

    expect((await gql(`mutation($id: UUID!) { deleteWebhookEndpoint(id: $id) }`, { id }, { token: await dept() })).data).toEqual({
      deleteWebhookEndpoint: true,
    });
    expect(codes(await gql(DELIVERIES, { e: id }, { token: await dept() }))).toEqual(['NOT_FOUND']);
    const after = await gql<{ webhookEndpoints: { nodes: { id: string }[] } }>(ENDPOINTS, {}, { token: await dept() });
    expect(after.data!.webhookEndpoints.nodes.map((n) => n.id)).not.toContain(id);
  });
});
