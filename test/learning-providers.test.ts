import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codes, gql, tokenFor } from './support/client.ts';
import { seed, type SeededFacility, type SeededPerson, type SeededTenant, type SignedIn } from './support/seed.ts';
import { keyRing, openSecret, pgAdapter } from '@pathway/kit';
import { users } from '../scripts/demo/ids.ts';
import { canvasData, startFakeCanvas } from './support/canvas-server.ts';
import { PrismaClient } from '../subgraphs/learning/src/generated/prisma/client.ts';
import { DEV_SECRET } from '../subgraphs/learning/src/providers/settings.ts';
import { resealCredentials } from '../subgraphs/learning/src/writes/reseal.ts';

// Provider platform administration: register, update, enable/disable, archive. Credentials are
// sealed (kit/secret-box) and never returned; every refusal leaves the rows as they were.
const FIELDS = `id name type state baseUrl accountId authType oauthClientId hasCredentials credentialsSetAt archivedAt
  availableFacilities { id } changeLog(first: 10) { nodes { action reason before after actor { id } } }`;
const REGISTER = `mutation($input: RegisterProviderPlatformInput!) { registerProviderPlatform(input: $input) { providerPlatformId providerPlatform { ${FIELDS} } } }`;
const UPDATE = `mutation($id: UUID!, $input: UpdateProviderPlatformInput!) { updateProviderPlatform(id: $id, input: $input) { providerPlatformId providerPlatform { ${FIELDS} } } }`;
const SET_STATE = `mutation($id: UUID!, $state: ProviderPlatformActiveState!, $reason: String) { setProviderPlatformState(id: $id, state: $state, reason: $reason) { previousState providerPlatform { state } } }`;
const ARCHIVE = `mutation($id: UUID!, $reason: String!) { archiveProviderPlatform(id: $id, reason: $reason) { providerPlatform { state archivedAt } } }`;

interface Platform {
  id: string;
  name: string;
  state: string;
  baseUrl: string;
  hasCredentials: boolean;
  credentialsSetAt: string;
  authType: string;
  availableFacilities: { id: string }[];
  changeLog: { nodes: { action: string; reason: string | null; before: unknown; after: Record<string, unknown>; actor: { id: string } }[] };
}

let db: pg.Client;
let tenant: SeededTenant;
let other: SeededTenant;
let facility: SeededFacility;
let dept: SeededPerson;
let deptApi: SignedIn;
let wrongRoles: SignedIn[];

/** The stored row, as the database owner sees it (no RLS). */
async function stored(id: string) {
  const { rows } = await db.query(
    `SELECT name, base_url, state, access_key_encrypted, oauth_client_id, updated_at FROM learning.provider_platforms WHERE id = $1`,
    [id],
  );
  return rows[0] as { name: string; base_url: string; state: string; access_key_encrypted: string; updated_at: Date } | undefined;
}
const countByName = async (name: string) =>
  Number((await db.query('SELECT count(*) FROM learning.provider_platforms WHERE name = $1', [name])).rows[0].count);

const canvasInput = (overrides: Record<string, unknown> = {}) => ({
  name: `Canvas ${randomBytes(4).toString('hex')}`,
  type: 'canvas_cloud',
  baseUrl: 'https://canvas.example.org/',
  accountId: '1',
  credentials: { accessKey: `canvas-token-${randomBytes(8).toString('hex')}` },
  ...overrides,
});

async function register(input: Record<string, unknown>) {
  const res = await deptApi.gql<{ registerProviderPlatform: { providerPlatform: Platform } }>(REGISTER, { input });
  expect(res.errors).toBeUndefined();
  return res.data!.registerProviderPlatform.providerPlatform;
}

beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
  [tenant, other] = await Promise.all([seed.tenant(), seed.tenant()]);
  facility = await tenant.facility();
  dept = await tenant.departmentAdmin();
  const [facilityAdmin, staff] = await Promise.all([facility.facilityAdmin(), facility.staff()]);
  [deptApi, ...wrongRoles] = await Promise.all([dept.api(), facilityAdmin.api(), staff.api()]);
});
afterAll(() => db.end());

describe('registerProviderPlatform', () => {
  it('registers a platform with its access key sealed and never returned, available where asked, with a change log line', async () => {
    const input = canvasInput({ facilityIds: [facility.id, facility.id] });
    const platform = await register(input);
    expect(platform).toMatchObject({
      name: input.name,
      state: 'enabled',
      baseUrl: 'https://canvas.example.org', // trailing slash dropped: API paths are appended
      authType: 'access_key',
      hasCredentials: true,
      availableFacilities: [{ id: facility.id }],
    });
    expect(platform.changeLog.nodes).toEqual([
      expect.objectContaining({ action: 'platform.registered', before: null, actor: { id: dept.id } }),
    ]);
    const row = (await stored(platform.id))!;
    expect(row.access_key_encrypted).toMatch(/^v2\.dev\.[\w-]+\.[\w-]+\.[\w-]+$/);
    const secret = input.credentials.accessKey;
    expect(row.access_key_encrypted).not.toContain(secret);
    expect(JSON.stringify(platform)).not.toContain(secret);
    // Nobody reads the key: the type has no such field, not even for a system administrator.
    const sys = await gql(
      `{ providerPlatform(id: "${platform.id}") { accessKey } }`,
      {},
      { token: await tokenFor(users.sysadmin.username) },
    );
    expect(codes(sys)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('keeps a sync schedule per platform, read in its time zone (daily at 02:00 UTC unless told otherwise)', async () => {
    const fields = '{ providerPlatform { syncSchedule syncTimezone nextScheduledSyncAt } }';
    const res = await deptApi.gql<{
      registerProviderPlatform: { providerPlatform: { syncSchedule: string; syncTimezone: string; nextScheduledSyncAt: string } };
    }>(`mutation($input: RegisterProviderPlatformInput!) { registerProviderPlatform(input: $input) ${fields} }`, {
      input: canvasInput({ syncSchedule: '30 1 * * *', syncTimezone: 'America/Chicago' }),
    });
    const scheduled = res.data!.registerProviderPlatform.providerPlatform;
    expect(scheduled).toMatchObject({ syncSchedule: '30 1 * * *', syncTimezone: 'America/Chicago' });
    expect(['06:30', '07:30']).toContain(scheduled.nextScheduledSyncAt.slice(11, 16)); // 01:30 Chicago, CDT or CST
    const plain = await register(canvasInput());
    const read = await deptApi.gql<{ providerPlatform: { syncSchedule: string; syncTimezone: string } }>(
      `query($id: UUID!) { providerPlatform(id: $id) { syncSchedule syncTimezone } }`,
      { id: plain.id },
    );
    expect(read.data!.providerPlatform).toEqual({ syncSchedule: '0 2 * * *', syncTimezone: 'UTC' });
    const off = await deptApi.gql<{
      updateProviderPlatform: { providerPlatform: { syncSchedule: string | null; nextScheduledSyncAt: string | null } };
    }>(`mutation($id: UUID!) { updateProviderPlatform(id: $id, input: { syncSchedule: "" }) ${fields} }`, { id: plain.id });
    expect(off.data!.updateProviderPlatform.providerPlatform).toMatchObject({ syncSchedule: null, nextScheduledSyncAt: null });
  });

  it('takes OAuth client credentials for Brightspace and Kolibri', async () => {
    const platform = await register(
      canvasInput({ type: 'brightspace', credentials: { oauthClientId: 'client-1', oauthClientSecret: 'brightspace-secret-1' } }),
    );
    expect(platform).toMatchObject({ authType: 'oauth_client_credentials', hasCredentials: true, availableFacilities: [] });
  });

  it('is refused to facility admins and staff, creating nothing', async () => {
    const input = canvasInput();
    for (const api of wrongRoles) expect(codes(await api.gql(REGISTER, { input }))).toEqual(['FORBIDDEN']);
    expect(await countByName(input.name)).toBe(0);
  });

  it('refuses bad input with fieldErrors, a taken name and another tenant, creating nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ baseUrl: 'ftp://canvas.example.org' }, 'baseUrl'],
      [{ baseUrl: 'not a url' }, 'baseUrl'],
      [{ baseUrl: 'https://user:pw@canvas.example.org' }, 'baseUrl'],
      [{ baseUrl: 'https://canvas.example.org/?x=1' }, 'baseUrl'],
      [{ name: '   ' }, 'name'],
      [{ accountId: '' }, 'accountId'],
      [{ credentials: {} }, 'credentials.accessKey'],
      [{ credentials: { accessKey: 'short' } }, 'credentials.accessKey'],
      [{ credentials: { oauthClientId: 'c', oauthClientSecret: 'long-enough-secret' } }, 'credentials.oauthClientId'],
      [{ type: 'brightspace', credentials: { accessKey: 'long-enough-key' } }, 'credentials.accessKey'],
      [{ type: 'kolibri', credentials: { oauthClientId: 'admin' } }, 'credentials.oauthClientSecret'],
      [{ syncSchedule: 'every night' }, 'syncSchedule'],
      [{ syncTimezone: 'Mars/Olympus' }, 'syncTimezone'],
    ];
    for (const [overrides, field] of cases) {
      const input = canvasInput(overrides);
      const res = await deptApi.gql(REGISTER, { input });
      expect(codes(res), JSON.stringify(overrides)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.extensions!.fieldErrors, JSON.stringify(overrides)).toHaveProperty([field]);
      expect(await countByName(input.name as string)).toBe(0);
    }
    // A malformed facility id is refused by the UUID scalar before anything runs.
    expect(codes(await deptApi.gql(REGISTER, { input: canvasInput({ facilityIds: ['nope'] }) }))).toEqual(['BAD_USER_INPUT']);

    // Facilities are checked with campus: an unknown one, or another tenant's, is not found; nothing is registered.
    const unknown = canvasInput({ facilityIds: [randomUUID()] });
    expect(codes(await deptApi.gql(REGISTER, { input: unknown }))).toEqual(['NOT_FOUND']);
    expect(await countByName(unknown.name as string)).toBe(0);
    const elsewhere = canvasInput({ facilityIds: [(await other.facility()).id] });
    expect(codes(await deptApi.gql(REGISTER, { input: elsewhere }))).toEqual(['NOT_FOUND']);
    expect(await countByName(elsewhere.name as string)).toBe(0);

    const input = canvasInput();
    await register(input);
    const again = await deptApi.gql(REGISTER, { input: { ...input, baseUrl: 'https://other.example.org' } });
    expect(codes(again)).toEqual(['CONFLICT']);
    expect(again.errors![0]!.extensions).toMatchObject({ reason: 'DUPLICATE', fieldErrors: { name: 'already used' } });
    expect(await countByName(input.name)).toBe(1);

    const foreign = canvasInput({ tenantId: other.id });
    expect(codes(await deptApi.gql(REGISTER, { input: foreign }))).toEqual(['FORBIDDEN']);
    expect(await countByName(foreign.name as string)).toBe(0);
  });
});

describe('updateProviderPlatform', () => {
  it('renames, replaces the credential (resealed) and the facilities, logging before → after without the key', async () => {
    const platform = await register(canvasInput());
    const before = (await stored(platform.id))!;
    const name = `Renamed ${randomBytes(4).toString('hex')}`;
    const res = await deptApi.gql<{ updateProviderPlatform: { providerPlatform: Platform } }>(UPDATE, {
      id: platform.id,
      input: { name, credentials: { accessKey: 'a-brand-new-token' }, facilityIds: [facility.id] },
    });
    expect(res.errors).toBeUndefined();
    const updated = res.data!.updateProviderPlatform.providerPlatform;
    expect(updated).toMatchObject({ name, availableFacilities: [{ id: facility.id }] });
    expect(new Date(updated.credentialsSetAt) >= new Date(platform.credentialsSetAt)).toBe(true);
    const after = (await stored(platform.id))!;
    expect(after.access_key_encrypted).not.toBe(before.access_key_encrypted);
    const line = updated.changeLog.nodes[0]!;
    expect(line).toMatchObject({ action: 'platform.updated', after: { name, credentials: 'replaced', facilityIds: [facility.id] } });
    expect(line.before).toMatchObject({ name: platform.name, facilityIds: [] });
    expect(JSON.stringify(updated)).not.toContain('a-brand-new-token');
  });

  it('is refused to the wrong roles, for unknown, malformed and other tenants’ ids, and for bad input, changing nothing', async () => {
    const platform = await register(canvasInput());
    const foreignDept = await other.departmentAdmin().then((p) => p.api());
    const input = { name: 'Should not stick' };
    const before = await stored(platform.id);
    for (const api of wrongRoles) expect(codes(await api.gql(UPDATE, { id: platform.id, input }))).toEqual(['FORBIDDEN']);
    expect(codes(await foreignDept.gql(UPDATE, { id: platform.id, input }))).toEqual(['NOT_FOUND']);
    expect(codes(await deptApi.gql(UPDATE, { id: randomUUID(), input }))).toEqual(['NOT_FOUND']);
    expect(codes(await deptApi.gql(UPDATE, { id: 'not-a-uuid', input }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await deptApi.gql(UPDATE, { id: platform.id, input: { baseUrl: 'gopher://x' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await deptApi.gql(UPDATE, { id: platform.id, input: { credentials: { accessKey: 'x' } } }))).toEqual(['BAD_USER_INPUT']);
    expect(await stored(platform.id)).toEqual(before);
  });
});

describe('setProviderPlatformState and archiveProviderPlatform', () => {
  it('disables and enables, refuses the state it has, archives for good', async () => {
    const platform = await register(canvasInput());
    const disabled = await deptApi.gql<{ setProviderPlatformState: { previousState: string; providerPlatform: { state: string } } }>(
      SET_STATE,
      { id: platform.id, state: 'disabled', reason: 'term break' },
    );
    expect(disabled.data!.setProviderPlatformState).toEqual({ previousState: 'enabled', providerPlatform: { state: 'disabled' } });
    const again = await deptApi.gql(SET_STATE, { id: platform.id, state: 'disabled' });
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_IN_STATE' });

    expect(codes(await deptApi.gql(ARCHIVE, { id: platform.id, reason: '  ' }))).toEqual(['BAD_USER_INPUT']);
    for (const api of wrongRoles) expect(codes(await api.gql(ARCHIVE, { id: platform.id, reason: 'x' }))).toEqual(['FORBIDDEN']);
    for (const api of wrongRoles) expect(codes(await api.gql(SET_STATE, { id: platform.id, state: 'enabled' }))).toEqual(['FORBIDDEN']);
    expect((await stored(platform.id))!.state).toBe('disabled');

    const archived = await deptApi.gql<{ archiveProviderPlatform: { providerPlatform: { state: string; archivedAt: string } } }>(ARCHIVE, {
      id: platform.id,
      reason: 'replaced by a new Canvas',
    });
    expect(archived.data!.archiveProviderPlatform.providerPlatform.state).toBe('archived');
    expect(archived.data!.archiveProviderPlatform.providerPlatform.archivedAt).toBeTruthy();
    const revive = await deptApi.gql(SET_STATE, { id: platform.id, state: 'enabled' });
    expect(revive.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_TRANSITION', from: 'archived' });
    expect(codes(await deptApi.gql(UPDATE, { id: platform.id, input: { name: 'x' } }))).toEqual(['CONFLICT']);
    expect(codes(await deptApi.gql(ARCHIVE, { id: platform.id, reason: 'again' }))).toEqual(['CONFLICT']);
    expect(codes(await deptApi.gql(SET_STATE, { id: randomUUID(), state: 'enabled' }))).toEqual(['NOT_FOUND']);

    const log = await deptApi.gql<{ providerPlatform: Platform }>(`query($id: UUID!) { providerPlatform(id: $id) { ${FIELDS} } }`, {
      id: platform.id,
    });
    expect(log.data!.providerPlatform.changeLog.nodes.map((n) => [n.action, n.reason])).toEqual([
      ['platform.archived', 'replaced by a new Canvas'],
      ['platform.state_changed', 'term break'],
      ['platform.registered', null],
    ]);
  });
});

describe('key rotation (what learning runs at start)', () => {
  it('reseals credentials under the new first key, keeps them readable, and a second run changes nothing', async () => {
    const input = canvasInput();
    const platform = await register(input);
    const prisma = new PrismaClient({ adapter: pgAdapter(inject('adminDatabaseUrl'), 'learning', 2, 5000) });
    const options = { nodeEnv: 'test', variable: 'PROVIDER_SECRET_KEYS', devSecret: DEV_SECRET };
    const rotated = keyRing(`k2=${'n'.repeat(40)},dev=${DEV_SECRET}`, options);
    try {
      // Only this file's platform: the running learning subgraph still has just the dev key.
      expect(await resealCredentials(prisma, rotated, { onlyIds: [platform.id] })).toEqual({ resealed: 1, unreadable: 0 });
      const sealed = (await stored(platform.id))!.access_key_encrypted;
      expect(sealed).toMatch(/^v2\.k2\./);
      expect(openSecret(rotated, sealed, platform.id)).toBe(input.credentials.accessKey);
      expect(await resealCredentials(prisma, rotated, { onlyIds: [platform.id] })).toEqual({ resealed: 0, unreadable: 0 });
      // With the old key dropped from the ring too early, the credential is reported unreadable, not lost.
      const tooEarly = keyRing(`k3=${'m'.repeat(40)}`, options);
      expect(await resealCredentials(prisma, tooEarly, { onlyIds: [platform.id] })).toEqual({ resealed: 0, unreadable: 1 });
      expect((await stored(platform.id))!.access_key_encrypted).toBe(sealed);
      const log = await deptApi.gql<{ providerPlatform: Platform }>(`query($id: UUID!) { providerPlatform(id: $id) { ${FIELDS} } }`, {
        id: platform.id,
      });
      expect(log.data!.providerPlatform.changeLog.nodes[0]).toMatchObject({
        action: 'platform.credentials_resealed',
        after: { keyId: 'k2' },
      });
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe('testProviderPlatformConnection', () => {
  const TEST = `mutation($id: UUID!) { testProviderPlatformConnection(id: $id) { providerPlatformId ok status message accountName latencyMs checkedAt } }`;
  type Report = { ok: boolean; status: string; message: string; accountName: string | null };
  const check = async (id: string, api = deptApi) => {
    const res = await api.gql<{ testProviderPlatformConnection: Report }>(TEST, { id });
    expect(res.errors).toBeUndefined();
    return res.data!.testProviderPlatformConnection;
  };

  it('reports a working connection, wrong credentials, an unreachable host, a failing server and a malformed answer', async () => {
    const canvas = await startFakeCanvas(canvasData({ courses: 1, students: 1, assignments: 1 }));
    try {
      const good = await register(canvasInput({ baseUrl: canvas.url, credentials: { accessKey: canvas.token } }));
      expect(await check(good.id)).toMatchObject({ ok: true, status: 'ok', accountName: 'Test Department of Corrections' });
      expect(canvas.requests.at(-1)).toMatchObject({ path: '/api/v1/accounts/1', authorization: `Bearer ${canvas.token}` });

      const wrong = await register(canvasInput({ baseUrl: canvas.url, credentials: { accessKey: 'an-expired-token' } }));
      const refused = await check(wrong.id);
      expect(refused).toMatchObject({ ok: false, status: 'unauthorized', accountName: null });
      expect(refused.message).toMatch(/refused the access token/);
      expect(refused.message).not.toContain('an-expired-token');

      const account = await register(canvasInput({ baseUrl: canvas.url, accountId: '404', credentials: { accessKey: canvas.token } }));
      expect(await check(account.id)).toMatchObject({ ok: false, status: 'not_found' });

      canvas.faults.push({ match: /accounts\/1$/, status: 503, times: 10 });
      expect(await check(good.id)).toMatchObject({ ok: false, status: 'server_error', message: expect.stringContaining('HTTP 503') });
      canvas.faults.length = 0;
      canvas.faults.push({ match: /accounts\/1$/, status: 200, body: '{"nothing":"useful"}' });
      expect(await check(good.id)).toMatchObject({ ok: false, status: 'malformed' });
    } finally {
      await canvas.close();
    }
    const gone = await register(canvasInput({ baseUrl: canvas.url, credentials: { accessKey: canvas.token } }));
    expect(await check(gone.id)).toMatchObject({ ok: false, status: 'unreachable' });
    const kolibri = await register(
      canvasInput({ type: 'kolibri', baseUrl: canvas.url, credentials: { oauthClientId: 'admin', oauthClientSecret: 'kolibri-password' } }),
    );
    // Kolibri has its own client now (subgraphs/learning/test/kolibri-brightspace-clients.test.ts): here it meets the closed host.
    expect(await check(kolibri.id)).toMatchObject({ ok: false, status: 'unreachable' });
  });

  it('is refused to the wrong roles and for unknown or other tenants’ platforms, calling nobody', async () => {
    const canvas = await startFakeCanvas(canvasData({ courses: 0, students: 0, assignments: 0 }));
    try {
      const platform = await register(canvasInput({ baseUrl: canvas.url, credentials: { accessKey: canvas.token } }));
      for (const api of wrongRoles) expect(codes(await api.gql(TEST, { id: platform.id }))).toEqual(['FORBIDDEN']);
      const foreignDept = await other.departmentAdmin().then((p) => p.api());
      expect(codes(await foreignDept.gql(TEST, { id: platform.id }))).toEqual(['NOT_FOUND']);
      expect(codes(await deptApi.gql(TEST, { id: randomUUID() }))).toEqual(['NOT_FOUND']);
      expect(codes(await deptApi.gql(TEST, { id: 'nope' }))).toEqual(['BAD_USER_INPUT']);
      expect(canvas.requests).toHaveLength(0);
    } finally {
      await canvas.close();
    }
  });
});
