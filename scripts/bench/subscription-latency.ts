// End-to-end latency of an event: mutation sent → each of N connected subscribers receives the event
// through the gateway. N = BENCH_SUBSCRIBERS (1000) sockets, shared out among BENCH_PEOPLE distinct
// people (a comma list, "1,100,1000": one case each, on one stack, in that order; ratios are against
// the first). One person's subscribers share one follow-up query per event; distinct people each
// need their own (the answer may depend on who asks), which is what the later cases measure.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { signAccessToken } from '@pathway/kit';
import { demoId, tenants, users } from '../demo/ids.ts';
import { benchStack, gql, loginAs, percentile } from './support.ts';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10);
const PEOPLE = (process.env.BENCH_PEOPLE ?? '1,100,1000').split(',').map(Number);
/** Bounds a case that cannot keep up: an event not delivered to everyone by then fails the run. */
const EVENT_TIMEOUT_MS = 120_000;
const ASSET = demoId('f2', 2); // Lee's listed artwork: department admins of Lakeshore may see it
const SUBSCRIBE = 'subscription { assetTransferred { cursor toOwnerId asset { id name } } }';
const TRANSFER = 'mutation($a: UUID!, $to: UUID!) { transferDigitalAsset(assetId: $a, toUserId: $to) { id } }';

const OWNERS = [users.residentGarcia.id, users.residentLee.id];
let transfers = 0; // across cases: the asset goes back and forth between two residents

interface Figures {
  people: number;
  deliveries: number;
  p50: number;
  p99: number;
  max: number;
  /** Median over events of the time until the last subscriber had it (robust to one slow event on a busy machine). */
  lastP50: number;
  mutationP50: number;
}

/**
 * `count` department administrators of Lakeshore, written straight into the bench's own identity
 * tables (no usable password: they never log in), with access tokens signed the way identity signs
 * them at login. Tenant reach: every market event of the tenant is theirs to receive.
 */
async function departmentAdmins(databaseUrl: string, accessSecret: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query("SELECT set_config('app.reach', 'system', false)");
    await db.query(
      `INSERT INTO identity.users (id, tenant_id, username, email, password_hash, first_name, last_name, updated_at)
       SELECT id, $2, 'bench.' || id, 'bench.' || id || '@example.test', '!no-login', 'Bench', 'Admin', now() FROM unnest($1::uuid[]) AS id`,
      [ids, tenants.lakeshore],
    );
    await db.query(
      `INSERT INTO identity.user_roles (user_id, role_id, tenant_id) SELECT id, (SELECT id FROM identity.roles WHERE name = 'department_admin'), $2 FROM unnest($1::uuid[]) AS id`,
      [ids, tenants.lakeshore],
    );
  } finally {
    await db.end();
  }
  return Promise.all(
    ids.map(
      async (userId) =>
        (
          await signAccessToken(
            { userId, tenantId: tenants.lakeshore, facilityId: null, roles: ['department_admin'], sessionId: randomUUID() },
            accessSecret,
            3600,
          )
        ).token,
    ),
  );
}

/** Opens SUBSCRIBERS sockets (socket i belongs to person i mod people), sends EVENTS transfers, one at a time. */
async function measure(gatewayUrl: string, tokens: string[], adminToken: string): Promise<Figures> {
  const wsUrl = gatewayUrl.replace(/^http/, 'ws');
  const latencies: number[] = [];
  const mutationTimes: number[] = [];
  const lastDeliveries: number[] = [];
  let sentAt = 0;
  let received = 0;
  let measuring = false;
  let onAll: (() => void) | null = null;
  const clients = Array.from({ length: SUBSCRIBERS }, (_, i) =>
    createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${tokens[i % tokens.length]}` },
      retryAttempts: 0,
    }),
  );
  try {
    await Promise.all(
      clients.map(
        (client) =>
          new Promise<void>((ready) => {
            client.on('connected', () => ready());
            client.subscribe(
              { query: SUBSCRIBE },
              {
                next: () => {
                  if (measuring) latencies.push(performance.now() - sentAt);
                  if (++received === SUBSCRIBERS) onAll?.();
                },
                error: (e) => console.error('subscriber error', e),
                complete: () => {},
              },
            );
          }),
      ),
    );
    await new Promise((r) => setTimeout(r, 1000)); // let every subscription register
    // One unmeasured event first, so every case starts warm.
    for (let i = 0; i <= EVENTS; i++) {
      measuring = i > 0;
      received = 0;
      const all = new Promise<void>((resolve, reject) => {
        onAll = resolve;
        setTimeout(
          () => reject(new Error(`event ${i}: ${received} of ${SUBSCRIBERS} deliveries after ${EVENT_TIMEOUT_MS} ms`)),
          EVENT_TIMEOUT_MS,
        ).unref();
      });
      // Measured from sending the mutation (an upper bound on "from commit"); its round trip is reported too.
      sentAt = performance.now();
      const res = await gql(gatewayUrl, TRANSFER, { a: ASSET, to: OWNERS[transfers++ % 2] }, adminToken);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      if (measuring) mutationTimes.push(performance.now() - sentAt);
      await all;
      if (measuring) lastDeliveries.push(latencies.at(-1)!);
    }
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
  }
  latencies.sort((a, b) => a - b);
  mutationTimes.sort((a, b) => a - b);
  lastDeliveries.sort((a, b) => a - b);
  return {
    people: tokens.length,
    deliveries: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1)!,
    lastP50: percentile(lastDeliveries, 50),
    mutationP50: percentile(mutationTimes, 50),
  };
}

export async function run(): Promise<void> {
  const stack = await benchStack('subs', { MAX_WS_CONNECTIONS_PER_USER: String(SUBSCRIBERS + 10) });
  try {
    const adminToken = await loginAs(stack.gatewayUrl, users.sysadmin.username);
    const demoAdmin = await loginAs(stack.gatewayUrl, users.deptAdmin.username);
    const people = await departmentAdmins(stack.databaseUrl, stack.secrets.ACCESS_JWT_SECRET, Math.max(...PEOPLE));
    const results: Figures[] = [];
    for (const count of PEOPLE) {
      const figures = await measure(stack.gatewayUrl, count === 1 ? [demoAdmin] : people.slice(0, count), adminToken);
      results.push(figures);
      await new Promise((r) => setTimeout(r, 2000)); // let the gateway close the last case's sockets
    }
    const base = results[0]!;
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const ratio = (v: number, b: number) => `×${(v / b).toFixed(2)}`;
    console.log(
      `${SUBSCRIBERS} subscribers (assetTransferred, department admins), ${EVENTS} events per case after one warm-up; latency mutation sent → subscriber`,
    );
    for (const r of results) {
      console.log(
        `${String(r.people).padStart(5)} ${r.people === 1 ? 'person ' : 'people '}: ${r.deliveries} deliveries; p50 ${ms(r.p50)} (${ratio(r.p50, base.p50)}), p99 ${ms(r.p99)} (${ratio(r.p99, base.p99)}), max ${ms(r.max)} (${ratio(r.max, base.max)}); last subscriber, median event ${ms(r.lastP50)} (${ratio(r.lastP50, base.lastP50)}); mutation round trip p50 ${ms(r.mutationP50)}`,
      );
    }
  } finally {
    await stack.dispose();
  }
}
