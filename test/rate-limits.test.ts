import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { DEMO_PASSWORD, users } from '../scripts/demo/ids.ts';
import { codes, gql, type GraphQLResponse } from './support/client.ts';
import { startExtraGateway, type ExtraGateway } from './support/gateway.ts';
import { recordIssued } from './support/secrets-in-logs.ts';
import { seed } from './support/seed.ts';
import { collect, wsClient } from './support/subscriptions.ts';

// Rate limits on a gateway of this file's own, with small limits, behind a trusted proxy on
// loopback so each case can come from addresses of its own (X-Forwarded-For). Its counters have a
// key prefix of their own in the stack's shared Redis (the main gateway counts the same people).
let gateway: ExtraGateway;
const LOGIN = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { userId } }`;

beforeAll(async () => {
  gateway = await startExtraGateway({
    TRUST_PROXY: 'loopback',
    RATE_LIMIT_KEY_PREFIX: `pathway:rl-test-${randomInt(1e9)}`,
    RATE_LIMIT_PER_PERSON: '20',
    RATE_LIMIT_ANONYMOUS_PER_ADDRESS: '25',
    RATE_LIMIT_PER_ADDRESS: '60',
    LOGIN_FAILURES_PER_ADDRESS: '10',
  });
});
afterAll(() => gateway?.stop());

const address = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const from = (ip: string, token?: string) => ({ url: gateway.url, token, headers: { 'x-forwarded-for': ip } });

function expectRateLimited(res: GraphQLResponse<unknown>) {
  expect(res.status).toBe(429);
  expect(codes(res)).toEqual(['RATE_LIMITED']);
  const seconds = Number(res.headers?.get('retry-after'));
  expect(seconds).toBeGreaterThan(0);
  expect(res.errors![0]!.extensions!.retryAfterSeconds).toBe(seconds);
}

describe('rate limits', () => {
  it('stop password spraying from one address across many accounts, and not another address', async () => {
    const sprayer = address();
    // Unknown usernames only: wrong passwords for a real account would lock it for the rest of the run.
    const guesses = Array.from({ length: 24 }, (_, i) => `nobody-${i}-${randomInt(1e9)}`);
    const results = await Promise.all(guesses.map((u) => gql(LOGIN, { u, p: 'Wrong-Guess-2026!' }, from(sprayer))));
    const byCode = (code: string) => results.filter((r) => codes(r).join() === code).length;
    expect(byCode('UNAUTHENTICATED')).toBe(10);
    expect(byCode('RATE_LIMITED')).toBe(14);
    for (const r of results.filter((r) => codes(r).join() === 'RATE_LIMITED')) {
      expectRateLimited(r);
      expect(r.errors![0]!.message).toMatch(/^Too many failed sign-ins from your network/);
    }
    // The right password from that address waits too; from elsewhere it works.
    const right = await gql(LOGIN, { u: users.teacher.username, p: DEMO_PASSWORD }, from(sprayer));
    expectRateLimited(right);
    expect(right.errors![0]!.message).toMatch(/^Too many failed sign-ins/);
    const elsewhere = await gql<{ login: { userId: string } }>(LOGIN, { u: users.teacher.username, p: DEMO_PASSWORD }, from(address()));
    expect(elsewhere.errors).toBeUndefined();
  });

  it('let successful sign-ins from a shared address through: only failures count', async () => {
    const facility = address();
    for (let i = 0; i < 12; i++) {
      const res = await gql(LOGIN, { u: users.teacher.username, p: DEMO_PASSWORD }, from(facility));
      expect(res.errors).toBeUndefined();
    }
  });

  it('limit one signed-in person, weighting reports and stats, and leave others alone', async () => {
    const tenant = await seed.tenant();
    const facility = await tenant.facility();
    const [busy, other] = [await tenant.person('staff', facility.id), await tenant.person('staff', facility.id)];
    const busyToken = (await busy.login()).accessToken;
    const otherToken = (await other.login()).accessToken;
    // Each person is counted wherever they are: spread over addresses.
    for (let i = 0; i < 3; i++) await gql('{ identityStats { people } }', {}, from(address(), busyToken)); // 5 each
    for (let i = 0; i < 5; i++) expect(codes(await gql('{ me { id } }', {}, from(address(), busyToken)))).toEqual([]);
    expectRateLimited(await gql('{ me { id } }', {}, from(address(), busyToken)));
    expect(codes(await gql('{ me { id } }', {}, from(address(), otherToken)))).toEqual([]);
  });

  it('limit anonymous requests per address, and every request per address before reading its body', async () => {
    const ip = address();
    const results: GraphQLResponse<unknown>[] = [];
    for (let i = 0; i < 65; i++) results.push(await gql('{ __typename }', {}, from(ip)));
    const ok = results.filter((r) => !r.errors);
    const limited = results.filter((r) => r.errors);
    expect(ok).toHaveLength(25);
    limited.forEach(expectRateLimited);
    // Past the flood guard's 60, the refusal comes before the request is even parsed.
    expect(results.slice(60).every((r) => r.errors![0]!.message.startsWith('Too many requests from your network'))).toBe(true);
    expect(results.slice(25, 60).every((r) => r.errors![0]!.message.startsWith('Too many requests without signing in'))).toBe(true);
  });

  it('count what a person sends over WebSocket like HTTP: queries, mutations and subscription starts', async () => {
    const tenant = await seed.tenant();
    const facility = await tenant.facility();
    const person = await tenant.person('staff', facility.id);
    const token = (await person.login()).accessToken;
    const client = wsClient(token, gateway.url);
    try {
      const answers: string[] = [];
      for (let i = 0; i < 20; i++) {
        const query = collect<{ me: { id: string } }>(client, '{ me { id } }');
        await query.closed;
        answers.push(query.results[0]?.errors?.[0]?.extensions?.code?.toString() ?? (query.results[0]?.data?.me.id ? 'ok' : 'none'));
      }
      // The person's 20 a minute on this gateway go through; then everything waits, over HTTP too.
      expect(answers).toEqual(Array(20).fill('ok'));
      const refused = collect(client, '{ me { id } }');
      await refused.closed;
      expect(refused.results[0]?.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
      const subscription = collect(client, 'subscription { assetTransferred { cursor } }');
      await subscription.closed;
      expect(subscription.results[0]?.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
      expectRateLimited(await gql('{ me { id } }', {}, from(address(), token)));
    } finally {
      await client.dispose();
    }
  });

  it('refuse a flood of WebSocket connections from one address with 4429, and not another address', async () => {
    const flooder = address();
    const closes: number[] = [];
    for (let i = 0; i < 62; i++) closes.push(await connectionCloseCode(flooder));
    // Without a token each connection is refused 4403 (Forbidden) once admitted; past 60 the flood guard says 4429.
    expect(closes.slice(0, 60)).toEqual(Array(60).fill(4403));
    expect(closes.slice(60)).toEqual([4429, 4429]);
    expect(await connectionCloseCode(address())).toBe(4403);
  });

  it('count failed OAuth client credentials like failed sign-ins, answering 429 slow_down past the limit', async () => {
    const tenant = await seed.tenant();
    const admin = await tenant.departmentAdmin();
    const created = await gql<{ createServiceAccount: { apiKey: string; serviceAccount: { id: string } } }>(
      `mutation($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { apiKey serviceAccount { id } } }`,
      { input: { name: 'Rate-limited client', permissions: ['market.asset.read'] } },
      { token: (await admin.api()).accessToken },
    );
    const { apiKey, serviceAccount } = created.data!.createServiceAccount;
    const tokenUrl = gateway.url.replace(/\/graphql$/, '/oauth/token');
    const exchange = async (ip: string, secret: string) => {
      const res = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: serviceAccount.id, client_secret: secret }).toString(),
      });
      const body = (await res.json()) as { error?: string; access_token?: string };
      recordIssued(inject('issuedSecretsDir'), JSON.stringify(body));
      return { status: res.status, retryAfter: res.headers.get('retry-after'), error: body.error };
    };
    const shared = address();
    for (let i = 0; i < 12; i++) expect((await exchange(shared, apiKey)).status).toBe(200); // successes give their count back
    const guesser = address();
    const guesses = [];
    for (let i = 0; i < 12; i++) guesses.push(await exchange(guesser, `pwk_${'C'.repeat(43)}`));
    expect(guesses.slice(0, 10).map((g) => [g.status, g.error])).toEqual(Array(10).fill([401, 'invalid_client']));
    for (const g of guesses.slice(10)) {
      expect([g.status, g.error]).toEqual([429, 'slow_down']);
      expect(Number(g.retryAfter)).toBeGreaterThan(0);
    }
    expect((await exchange(guesser, apiKey)).status).toBe(429);
    expect((await exchange(address(), apiKey)).status).toBe(200);
  });
});

/** Opens a graphql-ws socket from `ip` (X-Forwarded-For through the trusted loopback proxy) with no token; the code it is closed with. */
function connectionCloseCode(ip: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers: { 'x-forwarded-for': ip } });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.on('close', (code) => resolve(code));
    socket.on('error', reject);
  });
}
