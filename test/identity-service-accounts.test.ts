import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import WebSocket from 'ws';
import { demoIntegrator, users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor, type GraphQLResponse } from './support/client.ts';
import { recordIssued } from './support/secrets-in-logs.ts';
import { seed, type SeededFacility, type SeededPerson, type SeededTenant } from './support/seed.ts';
import { collect, wsClient } from './support/subscriptions.ts';

// Service accounts end to end through the real gateway: an administrator makes one with chosen
// permissions and scope, its API key (shown once, stored hashed) works over HTTP and WebSocket for
// what those allow and nothing else; rotation overlaps, revocation is immediate; OAuth 2 client
// credentials trade a key for a short-lived Bearer token. The tenants, people and assets are this
// file's own; the demo integrator is only read (and its README subscription followed in a new facility).

const CREATE = `mutation($input: CreateServiceAccountInput!) {
  createServiceAccount(input: $input) {
    apiKey key { id prefix lastUsedAt } serviceAccount { id tenantId facilityId permissions status }
  }
}`;
const ROTATE = `mutation($id: UUID!, $overlap: Int) {
  rotateServiceAccountKey(id: $id, overlapSeconds: $overlap) { apiKey key { id expiresAt } serviceAccount { keys { id expiresAt } } }
}`;
const REVOKE = `mutation($id: UUID!) { revokeServiceAccount(id: $id) { id status revokedAt keys { revokedAt } } }`;
const ACCOUNTS = `query { serviceAccounts(first: 100) { nodes { id status keys { id prefix lastUsedAt expiresAt revokedAt } } } }`;
const ASSET = `query($id: UUID!) { digitalAsset(id: $id) { id name } }`;
const FACILITY = `query($id: UUID!) { facility(id: $id) { id name } }`;
const TRANSFER = `mutation($assetId: UUID!, $to: UUID!) { transferDigitalAsset(assetId: $assetId, toUserId: $to) { id } }`;
const TRANSFERRED = `subscription { assetTransferred { cursor toOwnerId asset { id name } } }`;

interface Issued {
  apiKey: string;
  key: { id: string; prefix: string; lastUsedAt: string | null };
  serviceAccount: { id: string; tenantId: string; facilityId: string | null; permissions: string[]; status: string };
}
type Transferred = { assetTransferred: { cursor: string; toOwnerId: string; asset: { id: string; name: string } | null } };

let home: SeededTenant;
let away: SeededTenant;
let north: SeededFacility;
let south: SeededFacility;
let admin: SeededPerson; // department admin of home: holds identity.service_account.manage
let awayAdmin: SeededPerson;
let facilityAdmin: SeededPerson;
let staff: SeededPerson;
let lee: SeededPerson;
let garcia: SeededPerson;
let homeAsset: string;
let awayAsset: string;
let db: pg.Client;

const withKey = (apiKey: string) => ({ headers: { authorization: `ApiKey ${apiKey}` } });
const as = async (person: SeededPerson) => ({ token: (await person.api()).accessToken });
const system = async () => ({ token: await tokenFor(users.sysadmin.username) });

/** A graphql-ws client signing in with `authorization` exactly as given (an API key, or a Bearer token). */
function socketWith(authorization: string): Client {
  return createClient({
    url: inject('gatewayUrl').replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization },
    retryAttempts: 0,
    lazy: true,
  });
}

async function create(input: Record<string, unknown>, by: SeededPerson = admin): Promise<Issued> {
  const res = await gql<{ createServiceAccount: Issued }>(CREATE, { input }, await as(by));
  expect(res.errors).toBeUndefined();
  return res.data!.createServiceAccount;
}

async function transfer(assetId: string, to: string) {
  const res = await gql(TRANSFER, { assetId, to }, await system());
  expect(res.errors).toBeUndefined();
}

async function accountsOf(by: SeededPerson) {
  const res = await gql<{ serviceAccounts: { nodes: { id: string; status: string; keys: Record<string, string | null>[] }[] } }>(
    ACCOUNTS,
    {},
    await as(by),
  );
  expect(res.errors).toBeUndefined();
  return res.data!.serviceAccounts.nodes;
}

const settle = () => new Promise((r) => setTimeout(r, 300)); // the server registers the subscription
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The one answer for a key the gateway does not accept, whatever the reason. */
function expectKeyRefused(res: GraphQLResponse<unknown>) {
  expect(res.status).toBe(401);
  expect(codes(res)).toEqual(['UNAUTHENTICATED']);
  expect(res.errors![0]!.message).toBe('The API key is unknown, revoked or past its overlap after a rotation. Use a current key.');
}

beforeAll(async () => {
  [home, away] = await Promise.all([seed.tenant(), seed.tenant()]);
  [north, south] = await Promise.all([home.facility(), home.facility()]);
  const awayFacility = await away.facility();
  [admin, awayAdmin, facilityAdmin, staff, lee, garcia] = await Promise.all([
    home.departmentAdmin(),
    away.departmentAdmin(),
    north.facilityAdmin(),
    north.staff(),
    north.resident({ firstName: 'Marcus', lastName: 'Lee' }),
    north.resident({ firstName: 'Elena', lastName: 'Garcia' }),
  ]);
  const awayResident = await awayFacility.resident();
  [homeAsset, awayAsset] = await Promise.all([home.asset(lee, { name: 'Welding certificate' }), away.asset(awayResident)]);
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
});
afterAll(() => db?.end());

describe('service accounts', () => {
  it('show the key once and store only its hash', async () => {
    const issued = await create({ name: 'SIS export', permissions: ['market.asset.read'] });
    expect(issued.apiKey).toMatch(/^pwk_[A-Za-z0-9_-]{43}$/);
    expect(issued.key.prefix).toBe(issued.apiKey.slice(0, 12));
    expect(issued.serviceAccount).toMatchObject({
      tenantId: home.id,
      facilityId: null,
      permissions: ['market.asset.read'],
      status: 'active',
    });
    // Never readable again: no field of the listing holds it.
    const listed = await accountsOf(admin);
    expect(listed.map((a) => a.id)).toContain(issued.serviceAccount.id);
    expect(JSON.stringify(listed)).not.toContain(issued.apiKey);
    expect(JSON.stringify(listed)).not.toContain(issued.apiKey.slice(12));
    // The database holds the SHA-256, no plaintext in the key row, the account or its change log.
    const rows = await db.query(
      `SELECT row_to_json(k)::text AS key, (SELECT json_agg(c)::text FROM identity.service_account_changes c WHERE c.service_account_id = k.service_account_id) AS changes,
              (SELECT row_to_json(a)::text FROM identity.service_accounts a WHERE a.id = k.service_account_id) AS account
         FROM identity.service_account_keys k WHERE k.id = $1`,
      [issued.key.id],
    );
    expect(rows.rows).toHaveLength(1);
    const row = rows.rows[0] as { key: string; changes: string; account: string };
    for (const text of [row.key, row.changes, row.account]) expect(text).not.toContain(issued.apiKey.slice(4));
    expect(JSON.parse(row.key)).toMatchObject({ key_hash: createHash('sha256').update(issued.apiKey).digest('hex') });
  });

  it('read what their permissions and scope allow over HTTP, FORBIDDEN beyond, and record when the key was last used', async () => {
    const issued = await create({ name: 'Asset reader', permissions: ['market.asset.read'] });
    expect(issued.key.lastUsedAt).toBeNull();
    const own = await gql<{ digitalAsset: { id: string; name: string } | null }>(ASSET, { id: homeAsset }, withKey(issued.apiKey));
    expect(own.errors).toBeUndefined();
    expect(own.data!.digitalAsset).toEqual({ id: homeAsset, name: 'Welding certificate' });
    // Tenant B's asset is not there for a tenant A key.
    const other = await gql<{ digitalAsset: unknown }>(ASSET, { id: awayAsset }, withKey(issued.apiKey));
    expect(other.data?.digitalAsset ?? null).toBeNull();
    expect(codes(other).filter((c) => c !== 'NOT_FOUND')).toEqual([]);
    // A field its permissions do not cover.
    const facility = await gql(FACILITY, { id: north.id }, withKey(issued.apiKey));
    expect(codes(facility)).toEqual(['FORBIDDEN']);
    const people = await gql('{ users(first: 5) { nodes { id } } }', {}, withKey(issued.apiKey));
    expect(codes(people)).toEqual(['FORBIDDEN']);
    // Its own administration is not among what it may do.
    const rotateItself = await gql(ROTATE, { id: issued.serviceAccount.id }, withKey(issued.apiKey));
    expect(codes(rotateItself)).toEqual(['FORBIDDEN']);

    const keys = (await accountsOf(admin)).find((a) => a.id === issued.serviceAccount.id)!.keys;
    expect(Date.parse(keys[0]!.lastUsedAt!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("with a facility, see that facility only (another facility of the tenant, or another tenant's, is not there)", async () => {
    const issued = await create({ name: 'North kiosk', permissions: ['campus.facility.read'], facilityId: north.id });
    expect(issued.serviceAccount.facilityId).toBe(north.id);
    const mine = await gql<{ facility: { id: string } | null }>(FACILITY, { id: north.id }, withKey(issued.apiKey));
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.facility!.id).toBe(north.id);
    for (const id of [south.id, (await away.facility()).id]) {
      const res = await gql<{ facility: unknown }>(FACILITY, { id }, withKey(issued.apiKey));
      expect(res.data?.facility ?? null).toBeNull();
    }
  });

  it('deliver subscription events over WebSocket with the key in connectionParams', async () => {
    const issued = await create({ name: 'Asset feed', permissions: ['market.asset.read'] });
    const client = socketWith(`ApiKey ${issued.apiKey}`);
    try {
      const seen = collect<Transferred>(client, TRANSFERRED);
      await settle();
      await transfer(homeAsset, garcia.id);
      await transfer(homeAsset, lee.id);
      await seen.waitFor(2);
      expect(seen.results.map((r) => r.errors)).toEqual([undefined, undefined]);
      expect(seen.results.map((r) => r.data!.assetTransferred.toOwnerId)).toEqual([garcia.id, lee.id]);
      expect(seen.results[0]!.data!.assetTransferred.asset).toEqual({ id: homeAsset, name: 'Welding certificate' });
    } finally {
      await client.dispose();
    }
  });

  it('rotate with an overlap: both keys work until it ends, then only the new one; overlap 0 stops the old key at once', async () => {
    const issued = await create({ name: 'Rotating', permissions: ['market.asset.read'] });
    const rotated = await gql<{ rotateServiceAccountKey: { apiKey: string; key: { id: string; expiresAt: string | null } } }>(
      ROTATE,
      { id: issued.serviceAccount.id, overlap: 3 },
      await as(admin),
    );
    expect(rotated.errors).toBeUndefined();
    const next = rotated.data!.rotateServiceAccountKey;
    expect(next.apiKey).not.toBe(issued.apiKey);
    expect(next.key.expiresAt).toBeNull();
    for (const key of [issued.apiKey, next.apiKey]) {
      const res = await gql(ASSET, { id: homeAsset }, withKey(key));
      expect(res.errors).toBeUndefined();
    }
    const old = (await accountsOf(admin)).find((a) => a.id === issued.serviceAccount.id)!.keys.find((k) => k.id === issued.key.id)!;
    await sleep(Math.max(0, Date.parse(old.expiresAt!) - Date.now()) + 200);
    expectKeyRefused(await gql(ASSET, { id: homeAsset }, withKey(issued.apiKey)));
    expect((await gql(ASSET, { id: homeAsset }, withKey(next.apiKey))).errors).toBeUndefined();

    const again = await gql<{ rotateServiceAccountKey: { apiKey: string } }>(
      ROTATE,
      { id: issued.serviceAccount.id, overlap: 0 },
      await as(admin),
    );
    expect(again.errors).toBeUndefined();
    expectKeyRefused(await gql(ASSET, { id: homeAsset }, withKey(next.apiKey)));
    expect((await gql(ASSET, { id: homeAsset }, withKey(again.data!.rotateServiceAccountKey.apiKey))).errors).toBeUndefined();
  });

  it('revoke: refused at once over HTTP, an open socket is closed (4403) at its next event, a new one refused on connect', async () => {
    const issued = await create({ name: 'Revoked soon', permissions: ['market.asset.read'] });
    const open = socketWith(`ApiKey ${issued.apiKey}`);
    try {
      const seen = collect<Transferred>(open, TRANSFERRED);
      await settle();
      const revoked = await gql<{ revokeServiceAccount: { status: string; revokedAt: string; keys: { revokedAt: string | null }[] } }>(
        REVOKE,
        { id: issued.serviceAccount.id },
        await as(admin),
      );
      expect(revoked.errors).toBeUndefined();
      expect(revoked.data!.revokeServiceAccount.status).toBe('revoked');
      expect(revoked.data!.revokeServiceAccount.keys.every((k) => k.revokedAt)).toBe(true);
      expectKeyRefused(await gql(ASSET, { id: homeAsset }, withKey(issued.apiKey)));

      await transfer(homeAsset, garcia.id);
      await transfer(homeAsset, lee.id);
      expect(await seen.closed).toMatchObject({ code: 4403 });
      expect(seen.results).toEqual([]);

      const fresh = socketWith(`ApiKey ${issued.apiKey}`);
      const refused = collect<Transferred>(fresh, TRANSFERRED);
      expect(await refused.closed).toMatchObject({ code: 4403 });
      await fresh.dispose();

      const twice = await gql(REVOKE, { id: issued.serviceAccount.id }, await as(admin));
      expect(codes(twice)).toEqual(['CONFLICT']);
    } finally {
      await open.dispose();
    }
  });

  it('a revoked key on a socket that is still open is refused at its next operation', async () => {
    const issued = await create({ name: 'Idle socket', permissions: ['market.asset.read'] });
    const client = socketWith(`ApiKey ${issued.apiKey}`);
    try {
      const first = collect<Transferred>(client, TRANSFERRED);
      await settle();
      expect(await gql(REVOKE, { id: issued.serviceAccount.id }, await as(admin))).not.toHaveProperty('errors');
      const second = collect<Transferred>(client, TRANSFERRED);
      expect(await second.closed).toMatchObject({ code: 4403 });
      expect(await first.closed).toMatchObject({ code: 4403 });
    } finally {
      await client.dispose();
    }
  });

  it('answer a wrong, malformed, unknown or revoked key with the same UNAUTHENTICATED', async () => {
    const issued = await create({ name: 'To revoke', permissions: ['market.asset.read'] });
    expect((await gql(REVOKE, { id: issued.serviceAccount.id }, await as(admin))).errors).toBeUndefined();
    const unknown = `pwk_${'A'.repeat(43)}`;
    for (const key of [unknown, issued.apiKey, 'not-a-key', `${issued.apiKey.slice(0, -1)}x`])
      expectKeyRefused(await gql(ASSET, { id: homeAsset }, withKey(key)));
    const malformed = await gql(ASSET, { id: homeAsset }, { headers: { authorization: 'ApiKey two words' } });
    expect(codes(malformed)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuse a subscription whose events the account could never see, naming the permission', async () => {
    const issued = await create({ name: 'Facilities only', permissions: ['campus.facility.read'] });
    const client = socketWith(`ApiKey ${issued.apiKey}`);
    try {
      const refused = collect<Transferred>(client, TRANSFERRED);
      await refused.waitFor(1);
      const error = refused.results[0]!.errors![0]!;
      expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', permission: 'market.asset.read' });
      expect(error.message).toContain('market.asset.read');
      // A subscription its permission covers starts and stays open.
      const allowed = collect(client, 'subscription { facilityChanged { cursor } }');
      await settle();
      expect(allowed.results).toEqual([]);
      allowed.stop();
    } finally {
      await client.dispose();
    }
  });

  it("refuse a person's subscription that their role would never deliver (a resident and the market aggregates)", async () => {
    const client = wsClient((await lee.api()).accessToken);
    try {
      const refused = collect(client, 'subscription { marketActivity { cursor } }');
      await refused.waitFor(1);
      expect(refused.results[0]!.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', permission: 'market.aggregate.read' });
      // Without market.asset.read a person would still see their own assets' transfers: that one starts.
      const own = collect<Transferred>(client, TRANSFERRED);
      await settle();
      expect(own.results).toEqual([]);
      own.stop();
    } finally {
      await client.dispose();
    }
  });

  it('are made, rotated and revoked only by those who manage service accounts (two wrong roles each)', async () => {
    const target = await create({ name: 'Guarded', permissions: ['market.asset.read'] });
    for (const who of [facilityAdmin, staff]) {
      const made = await gql(CREATE, { input: { name: 'Nope', permissions: ['market.asset.read'] } }, await as(who));
      expect(codes(made)).toEqual(['FORBIDDEN']);
      expect(codes(await gql(ROTATE, { id: target.serviceAccount.id }, await as(who)))).toEqual(['FORBIDDEN']);
      expect(codes(await gql(REVOKE, { id: target.serviceAccount.id }, await as(who)))).toEqual(['FORBIDDEN']);
    }
    // Another tenant's administrator does not find it.
    expect(codes(await gql(ROTATE, { id: target.serviceAccount.id }, await as(awayAdmin)))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(REVOKE, { id: target.serviceAccount.id }, await as(awayAdmin)))).toEqual(['NOT_FOUND']);
    // Nothing changed: the key still works.
    expect((await gql(ASSET, { id: homeAsset }, withKey(target.apiKey))).errors).toBeUndefined();
  });

  it('refuse bad input and change nothing', async () => {
    const before = (await accountsOf(admin)).length;
    const unknownPermission = await gql(CREATE, { input: { name: 'Bad', permissions: ['market.asset.steal'] } }, await as(admin));
    expect(codes(unknownPermission)).toEqual(['BAD_USER_INPUT']);
    const notHeld = await gql(CREATE, { input: { name: 'Bad', permissions: ['identity.role.manage'] } }, await as(admin));
    expect(codes(notHeld)).toEqual(['FORBIDDEN']);
    const awayFacility = await away.facility();
    const foreignFacility = await gql(
      CREATE,
      { input: { name: 'Bad', permissions: ['market.asset.read'], facilityId: awayFacility.id } },
      await as(admin),
    );
    expect(codes(foreignFacility)).toEqual(['NOT_FOUND']);
    const empty = await gql(CREATE, { input: { name: ' ', permissions: [] } }, await as(admin));
    expect(codes(empty)).toEqual(['BAD_USER_INPUT']);
    expect((await accountsOf(admin)).length).toBe(before);

    const target = await create({ name: 'Overlap checks', permissions: ['market.asset.read'] });
    for (const overlap of [-1, 31 * 86_400, 2 ** 31 - 1]) {
      const res = await gql(ROTATE, { id: target.serviceAccount.id, overlap }, await as(admin));
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    }
    const keys = (await accountsOf(admin)).find((a) => a.id === target.serviceAccount.id)!.keys;
    expect(keys).toHaveLength(1);
    expect(keys[0]!.expiresAt).toBeNull();
    expect(codes(await gql(ROTATE, { id: '00000000-0000-4000-8000-000000000000' }, await as(admin)))).toEqual(['NOT_FOUND']);
  });
});

/** POSTs to the gateway's token endpoint; `body` form-encoded unless a string with its own content type. */
async function token(body: Record<string, string> | string, headers: Record<string, string> = {}) {
  const url = inject('gatewayUrl').replace(/\/graphql$/, '/oauth/token');
  const form = typeof body === 'string' ? body : new URLSearchParams(body).toString();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: form,
  });
  const text = await response.text();
  recordIssued(inject('issuedSecretsDir'), text);
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as Record<string, unknown> };
}
const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });

describe('OAuth 2 client credentials (POST /oauth/token)', () => {
  let account: Issued;
  beforeAll(async () => {
    account = await create({ name: 'OAuth client', permissions: ['market.asset.read'] });
  });

  it('trade the account id and key (form fields or HTTP Basic) for a short-lived Bearer token', async () => {
    for (const [body, headers] of [
      [{ grant_type: 'client_credentials', client_id: account.serviceAccount.id, client_secret: account.apiKey }, {}],
      [{ grant_type: 'client_credentials' }, basic(account.serviceAccount.id, account.apiKey)],
    ] as const) {
      const res = await token(body, headers);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number) });
      expect(res.body.expires_in).toBeGreaterThan(0);
      expect(res.body.expires_in).toBeLessThanOrEqual(900);
      const read = await gql<{ digitalAsset: { id: string } }>(ASSET, { id: homeAsset }, { token: res.body.access_token as string });
      expect(read.errors).toBeUndefined();
      expect(read.data!.digitalAsset.id).toBe(homeAsset);
      // The same permissions as the key: nothing more.
      expect(codes(await gql(FACILITY, { id: north.id }, { token: res.body.access_token as string }))).toEqual(['FORBIDDEN']);
    }
  });

  it('answer RFC 6749 §5.2 errors', async () => {
    const id = account.serviceAccount.id;
    const wrongSecret = await token({ grant_type: 'client_credentials', client_id: id, client_secret: `pwk_${'B'.repeat(43)}` });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error).toBe('invalid_client');
    expect(wrongSecret.headers.get('www-authenticate')).toMatch(/^Basic/);
    const otherClient = await create({ name: 'Other client', permissions: ['market.asset.read'] });
    const mismatched = await token({ grant_type: 'client_credentials' }, basic(otherClient.serviceAccount.id, account.apiKey));
    expect([mismatched.status, mismatched.body.error]).toEqual([401, 'invalid_client']);
    const anonymous = await token({ grant_type: 'client_credentials' });
    expect([anonymous.status, anonymous.body.error]).toEqual([401, 'invalid_client']);
    const badBasic = await token({ grant_type: 'client_credentials' }, { authorization: 'Basic %%%' });
    expect([badBasic.status, badBasic.body.error]).toEqual([401, 'invalid_client']);

    const password = await token({ grant_type: 'password', username: 'x', password: 'y' });
    expect([password.status, password.body.error]).toEqual([400, 'unsupported_grant_type']);
    const noGrant = await token({ client_id: id, client_secret: account.apiKey });
    expect([noGrant.status, noGrant.body.error]).toEqual([400, 'invalid_request']);
    const both = await token({ grant_type: 'client_credentials', client_secret: account.apiKey }, basic(id, account.apiKey));
    expect([both.status, both.body.error]).toEqual([400, 'invalid_request']);
    const repeated = await token(
      `grant_type=client_credentials&grant_type=client_credentials&client_id=${id}&client_secret=${account.apiKey}`,
    );
    expect([repeated.status, repeated.body.error]).toEqual([400, 'invalid_request']);
    const json = await token(JSON.stringify({ grant_type: 'client_credentials', client_id: id, client_secret: account.apiKey }), {
      'content-type': 'application/json',
    });
    expect([json.status, json.body.error]).toEqual([400, 'invalid_request']);
    for (const res of [wrongSecret, password, noGrant]) expect(typeof res.body.error_description).toBe('string');
  });

  it("stop accepting the account's tokens once it is revoked", async () => {
    const doomed = await create({ name: 'OAuth doomed', permissions: ['market.asset.read'] });
    const issued = await token({ grant_type: 'client_credentials', client_id: doomed.serviceAccount.id, client_secret: doomed.apiKey });
    const bearer = issued.body.access_token as string;
    expect((await gql(ASSET, { id: homeAsset }, { token: bearer })).errors).toBeUndefined();
    const client = wsClient(bearer);
    try {
      const seen = collect<Transferred>(client, TRANSFERRED);
      await settle();
      expect((await gql(REVOKE, { id: doomed.serviceAccount.id }, await as(admin))).errors).toBeUndefined();
      const refused = await gql(ASSET, { id: homeAsset }, { token: bearer });
      expect([refused.status, codes(refused)]).toEqual([401, ['UNAUTHENTICATED']]);
      await transfer(homeAsset, garcia.id);
      await transfer(homeAsset, lee.id);
      expect(await seen.closed).toMatchObject({ code: 4403 });
    } finally {
      await client.dispose();
    }
    const again = await token({ grant_type: 'client_credentials', client_id: doomed.serviceAccount.id, client_secret: doomed.apiKey });
    expect([again.status, again.body.error]).toEqual([401, 'invalid_client']);
  });
});

describe('the demo integrator', () => {
  it("follows the README's example subscription with its development key", async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Integrators: service accounts and API keys'));
    expect(readme).toContain(demoIntegrator.developmentKey);
    const example = /```graphql\n(subscription[^\n]*\{[\s\S]*?)\n```/.exec(section)?.[1];
    expect(example).toBeDefined();
    // A facility, two residents and an asset of the demo tenant of this test's own.
    const facility = await seed.facilityIn(demoIntegrator.tenantId);
    const [owner, receiver] = await Promise.all([facility.resident(), facility.resident()]);
    const asset = await seed.assetIn(demoIntegrator.tenantId, owner, { name: 'Demo integrator certificate' });
    const client = socketWith(`ApiKey ${demoIntegrator.developmentKey}`);
    try {
      const seen = collect<Transferred>(client, example!);
      await settle();
      await transfer(asset, receiver.id);
      // Other files' transfers in the demo tenant may come too: wait for this one.
      await expect.poll(() => seen.results.some((r) => r.data?.assetTransferred.asset?.id === asset), { timeout: 15_000 }).toBe(true);
      expect(seen.results.flatMap((r) => r.errors ?? [])).toEqual([]);
    } finally {
      await client.dispose();
    }
  });
});
