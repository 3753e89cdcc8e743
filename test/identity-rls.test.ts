import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appDatabaseUrl } from '../scripts/database.ts';
import { facilities, tenants, users } from '../scripts/demo/ids.ts';
import { gql, tokenFor, activate } from './support/client.ts';

// Row-Level Security on identity's newer tenant-scoped tables, connecting as the application role
// (the pattern of row-level-security.test.ts). Rows in both tenants are made through the API first.
const INSERTS: Record<string, string> = {
  'identity.account_history': `(id, tenant_id, user_id, action) VALUES (gen_random_uuid(), $1, $2, 'x')`,
  'identity.failed_logins': `(id, tenant_id, user_id, reason, counted) VALUES (gen_random_uuid(), $1, $2, 'x', true)`,
  'identity.user_preferences': `(user_id, key, tenant_id, value, updated_at) VALUES ($2, 'x', $1, '1', now())`,
  'identity.notifications': `(id, tenant_id, user_id, type, title, message) VALUES (gen_random_uuid(), $1, $2, 'x', 'x', 'x')`,
  'identity.facility_features': `(facility_id, tenant_id, updated_at) VALUES ($2, $1, now())`,
  'identity.user_extensions': `(id, tenant_id, user_id, type, name, updated_at) VALUES (gen_random_uuid(), $1, $2, 'x', 'x', now())`,
  'identity.practicality_factors': `(id, tenant_id, extension_id, name, value, updated_at) VALUES (gen_random_uuid(), $1, gen_random_uuid(), 'x' || $2, 5, now())`,
  'identity.user_subscriptions': `(id, tenant_id, user_id, plan, updated_at) VALUES (gen_random_uuid(), $1, $2, 'x', now())`,
  'identity.integrations': `(id, tenant_id, name, base_url, updated_at) VALUES (gen_random_uuid(), $1, 'x' || $2, 'https://x', now())`,
  'identity.webhook_endpoints': `(id, tenant_id, url, event_types, secret_ciphertext, updated_at) VALUES (gen_random_uuid(), $1, 'https://x/' || $2, '{}', 'x', now())`,
  'identity.webhook_deliveries': `(id, tenant_id, endpoint_id, event_id, event_type, body, updated_at) VALUES (gen_random_uuid(), $1, $2, 'x', 'x', 'x', now())`,
  'identity.webhook_changes': `(id, tenant_id, endpoint_id, action) VALUES (gen_random_uuid(), $1, $2, 'x')`,
};
const TABLES = Object.keys(INSERTS);

let client: pg.Client;

async function personIn(admin: string, facilityId: string) {
  const s = randomBytes(4).toString('hex');
  const input = {
    username: `id.rls.${s}`,
    email: `id.rls.${s}@example.org`,
    firstName: 'Rls',
    lastName: s,
    role: 'resident',
    facilityId,
    temporaryPassword: 'Temporary-Pass-2026!',
  };
  const res = await gql<{ createUser: { id: string; username: string } }>(
    `mutation($input: CreateUserInput!) { createUser(input: $input) { id username } }`,
    { input },
    { token: await tokenFor(admin) },
  );
  const { username, id } = res.data!.createUser;
  await gql(`mutation($u: String!) { login(username: $u, password: "Wrong-Password-123!") { userId } }`, { u: username });
  await gql(
    `mutation($u: UUID!) { subscribeUser(userId: $u, input: { plan: "basic" }) { id } }`,
    { u: id },
    { token: await tokenFor(admin) },
  );
  const { accessToken } = await activate(username, 'Temporary-Pass-2026!');
  await gql(`mutation { setMyPreference(key: "lang", value: "en") { key } }`, {}, { token: accessToken });
  const ext = await gql<{ addMyExtension: { id: string } }>(
    `mutation { addMyExtension(input: { type: "tool", name: "x" }) { id } }`,
    {},
    { token: accessToken },
  );
  await gql(
    `mutation($id: UUID!) { setPracticalityFactor(extensionId: $id, name: "cost", value: 5) { id } }`,
    { id: ext.data!.addMyExtension.id },
    { token: accessToken },
  );
  await gql(
    `mutation($u: UUID!) { sendNotification(userId: $u, input: { type: "info", title: "Hi", message: "Hello" }) { id } }`,
    { u: id },
    { token: await tokenFor(admin) },
  );
}

beforeAll(async () => {
  for (const tenantId of [tenants.lakeshore, tenants.riverside])
    await gql(
      `mutation($f: UUID!, $t: UUID!) { setFacilityFeatureFlag(facilityId: $f, flag: open_content, enabled: true, tenantId: $t) { enabled } }`,
      { f: randomUUID(), t: tenantId },
      { token: await tokenFor(users.sysadmin.username) },
    );
  for (const tenantId of [tenants.lakeshore, tenants.riverside])
    await gql(
      `mutation($n: String!, $t: UUID!) { registerIntegration(input: { name: $n, baseUrl: "https://a.example.org", tenantId: $t }) { id } }`,
      { n: `rls-${randomUUID()}`, t: tenantId },
      { token: await tokenFor(users.sysadmin.username) },
    );
  // Webhook endpoints in both tenants; personIn's notifications then give each a delivery (to a closed port: it fails, the row stays).
  const hooks: string[] = [];
  for (const tenantId of [tenants.lakeshore, tenants.riverside]) {
    const res = await gql<{ registerWebhookEndpoint: { endpoint: { id: string } } }>(
      `mutation($t: UUID!) { registerWebhookEndpoint(input: { url: "https://127.0.0.1:9/rls", eventTypes: ["identity.notification.added"], tenantId: $t }) { endpoint { id } } }`,
      { t: tenantId },
      { token: await tokenFor(users.sysadmin.username) },
    );
    hooks.push(res.data!.registerWebhookEndpoint.endpoint.id);
  }
  await personIn(users.facilityAdmin.username, facilities.northRidge.id);
  await personIn(users.riversideAdmin.username, facilities.riverside.id);
  client = new pg.Client({ connectionString: appDatabaseUrl(inject('adminDatabaseUrl'), inject('secrets').APP_DB_PASSWORD) });
  await client.connect();
  // Deliveries are written by identity's dispatcher shortly after the events.
  for (let i = 0; (await tenantsSeen('identity.webhook_deliveries', { tenantId: '', reach: 'system' })).length < 2; i++) {
    if (i > 200) throw new Error('no webhook deliveries in both tenants');
    await new Promise((r) => setTimeout(r, 100));
  }
  // Enough rows: the endpoints need hear of nothing more in this run.
  for (const id of hooks)
    await gql(
      `mutation($id: UUID!) { updateWebhookEndpoint(id: $id, input: { status: disabled }) { id } }`,
      { id },
      { token: await tokenFor(users.sysadmin.username) },
    );
});
afterAll(() => client.end());

async function tenantsSeen(table: string, settings: { tenantId: string; reach: string } | null): Promise<string[]> {
  await client.query('BEGIN');
  try {
    if (settings)
      await client.query(`SELECT set_config('app.tenant_id', $1, true), set_config('app.reach', $2, true)`, [
        settings.tenantId,
        settings.reach,
      ]);
    return (await client.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM ${table}`)).rows.map((r) => r.tenant_id).sort();
  } finally {
    await client.query('ROLLBACK');
  }
}

describe('Row-Level Security on identity tables, as the application role', () => {
  it.each(TABLES)('%s: nothing without a tenant, one tenant with one, both with system reach', async (table) => {
    expect(await tenantsSeen(table, null)).toEqual([]);
    expect(await tenantsSeen(table, { tenantId: tenants.riverside, reach: 'facility' })).toEqual([tenants.riverside]);
    expect(await tenantsSeen(table, { tenantId: tenants.lakeshore, reach: 'tenant' })).toEqual([tenants.lakeshore]);
    // Other test files seed tenants of their own: system reach sees at least both demo tenants.
    expect(await tenantsSeen(table, { tenantId: tenants.lakeshore, reach: 'system' })).toEqual(
      expect.arrayContaining([tenants.lakeshore, tenants.riverside]),
    );
  });

  it.each(TABLES)('%s: refuses a row written into another tenant', async (table) => {
    await client.query('BEGIN');
    try {
      await client.query(`SELECT set_config('app.tenant_id', $1, true), set_config('app.reach', 'tenant', true)`, [tenants.lakeshore]);
      await expect(client.query(`INSERT INTO ${table} ${INSERTS[table]}`, [tenants.riverside, users.riversideStudent.id])).rejects.toThrow(
        /row-level security/,
      );
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
