// Graceful shutdown of a gateway of this file's own: on SIGTERM it first says it is not ready, tells
// its subscribers to reconnect (close 1012, "resume after your last cursor"), lets the request in
// flight finish, then exits 0. Its identity subgraph is behind a test proxy that holds one operation
// for a while, so that request is still in flight when the signal comes. (Jobs going back to the
// queue on shutdown: packages/kit/test/jobs.test.ts.) The subscriber then does what the close tells
// it: it reconnects to another gateway with its last cursor and gets the event it missed meanwhile.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../scripts/stack.ts';
import { users } from '../scripts/demo/ids.ts';
import { gql, tokenFor } from './support/client.ts';
import { seed, type SeededPerson } from './support/seed.ts';
import { startGateway, subgraphEnv, type Service } from './support/processes.ts';
import { collect, wsClient } from './support/subscriptions.ts';

const HOLD_MS = 2_000;
let proxy: http.Server;
let proxyUrl: string;
let gateway: Service;
let token: string;
let subscriber: SeededPerson; // a department admin: sees every asset transfer of the tenant
let owner: SeededPerson;
let other: SeededPerson;
let asset: string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  const target = inject('subgraphUrls').identity!.replace(/\/graphql$/, '');
  proxy = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (body.includes('OpsShutdownSlow')) await sleep(HOLD_MS);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)) as [string, string][],
    );
    const upstream = await fetch(target + req.url, { method: req.method, headers, body: req.method === 'GET' ? undefined : body });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => proxy.listen(port, resolve));
  proxyUrl = `http://localhost:${port}/graphql`;
  gateway = await startGateway({ ...subgraphEnv({ identity: proxyUrl }), SHUTDOWN_DRAIN_MS: '600' });
  token = await tokenFor('facility.admin');
  const tenant = await seed.tenant();
  const facility = await tenant.facility();
  [subscriber, owner, other] = await Promise.all([tenant.departmentAdmin(), facility.resident(), facility.resident()]);
  asset = await tenant.asset(owner);
}, 120_000);

const SUBSCRIBE = 'subscription($after: String) { assetTransferred(after: $after) { cursor toOwnerId } }';
interface Transferred {
  assetTransferred: { cursor: string; toOwnerId: string };
}

/** Moves the asset (through the test stack's gateway: the one under test is going away). */
async function transfer(to: string) {
  const res = await gql(
    'mutation($a: UUID!, $to: UUID!) { transferDigitalAsset(assetId: $a, toUserId: $to) { id } }',
    { a: asset, to },
    {
      token: await tokenFor(users.sysadmin.username),
    },
  );
  expect(res.errors).toBeUndefined();
}
afterAll(async () => {
  await gateway?.stop();
  proxy?.close();
});

describe('graceful shutdown', () => {
  it(
    'finishes the request in flight, tells subscribers to reconnect with their cursor (resuming there loses nothing), and exits 0',
    { timeout: 60_000 },
    async () => {
      const subscriberToken = (await subscriber.api()).accessToken;
      const client = wsClient(subscriberToken, gateway.url);
      const subscription = collect<Transferred>(client, SUBSCRIBE);
      await sleep(500); // the subscription is registered
      await transfer(other.id);
      await subscription.waitFor(1);

      const inFlight = gql<{ me: { id: string } }>('query OpsShutdownSlow { me { id } }', {}, { url: gateway.url, token });
      await sleep(300); // the request is held at the proxy
      const exited = gateway.stop();
      await sleep(200);
      // Draining: still answering, but no longer ready, so a load balancer stops sending.
      expect((await fetch(`${gateway.base}/readyz`)).status).toBe(503);

      const closed = (await subscription.closed) as { code?: number; reason?: string };
      expect(closed.code).toBe(1012);
      expect(closed.reason).toMatch(/Reconnect and resume after your last cursor/);
      await transfer(owner.id); // while the subscriber is disconnected

      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(res.data?.me.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await exited).toBe(0);
      await expect(fetch(`${gateway.base}/healthz`)).rejects.toThrow();
      await client.dispose();

      // As told: reconnect (here to the test stack's gateway) and resume after the last cursor.
      const lastCursor = subscription.results.at(-1)!.data!.assetTransferred.cursor;
      const again = wsClient(subscriberToken);
      try {
        const resumed = collect<Transferred>(again, SUBSCRIBE, { after: lastCursor });
        await resumed.waitFor(1);
        const events = [...subscription.results, ...resumed.results].map((r) => r.data!.assetTransferred);
        expect(events.map((e) => e.toOwnerId)).toEqual([other.id, owner.id]);
      } finally {
        await again.dispose();
      }
    },
  );
});
