import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appDatabaseUrl } from '../scripts/database.ts';
import { demoId, facilities, tenants, users } from '../scripts/demo/ids.ts';
import { gql, tokenFor } from './support/client.ts';

// Row-Level Security on campus's newer tables, as the application role itself: a Lakeshore change
// made through the API must be invisible to a Riverside-scoped transaction and to one with no scope.
const NEW_TABLES = [
  'campus.class_changes',
  'campus.program_class_events',
  'campus.program_class_event_overrides',
  'campus.program_class_event_attendance',
  'campus.class_instructors',
];

let app: pg.Client;
let classId: string;

beforeAll(async () => {
  app = new pg.Client({ connectionString: appDatabaseUrl(inject('adminDatabaseUrl'), inject('secrets').APP_DB_PASSWORD) });
  await app.connect();
  const input = {
    programId: demoId('c1', 1),
    facilityId: facilities.northRidge.id,
    name: `RLS class ${randomUUID().slice(0, 8)}`,
    startDt: '2027-02-01T14:00:00Z',
  };
  const res = await gql<{ createProgramClass: { id: string } }>(
    `mutation($input: CreateProgramClassInput!) { createProgramClass(input: $input) { id } }`,
    { input },
    { token: await tokenFor(users.facilityAdmin.username) },
  );
  classId = res.data!.createProgramClass.id;
});
afterAll(() => app.end());

async function scoped<T>(settings: { tenantId: string; reach: string } | null, fn: () => Promise<T>): Promise<T> {
  await app.query('BEGIN');
  try {
    if (settings)
      await app.query(`SELECT set_config('app.tenant_id', $1, true), set_config('app.reach', $2, true)`, [
        settings.tenantId,
        settings.reach,
      ]);
    return await fn();
  } finally {
    await app.query('ROLLBACK');
  }
}
const count = async (table: string, where = 'true', params: unknown[] = []) =>
  Number((await app.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, params)).rows[0]!.n);

describe('campus Row-Level Security, as the application role', () => {
  it('every new campus table has RLS enabled with a tenant policy', async () => {
    for (const table of NEW_TABLES) {
      const [schema, name] = table.split('.');
      const { rows } = await app.query(
        `SELECT c.relrowsecurity AS rls, (SELECT count(*)::int FROM pg_policies p WHERE p.schemaname = $1 AND p.tablename = $2 AND p.policyname = 'tenant_isolation') AS policies
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
        [schema, name],
      );
      expect({ table, ...rows[0] }).toEqual({ table, rls: true, policies: 1 });
    }
  });

  it("the class's change log is visible to its own tenant only", async () => {
    expect(
      await scoped({ tenantId: tenants.lakeshore, reach: 'facility' }, () => count('campus.class_changes', 'class_id = $1', [classId])),
    ).toBe(1);
    expect(
      await scoped({ tenantId: tenants.riverside, reach: 'facility' }, () => count('campus.class_changes', 'class_id = $1', [classId])),
    ).toBe(0);
    for (const table of NEW_TABLES) expect({ table, n: await scoped(null, () => count(table)) }).toEqual({ table, n: 0 });
  });

  it("Lakeshore's demo schedule and instructors are invisible to a Riverside-scoped transaction", async () => {
    for (const table of ['campus.program_class_events', 'campus.class_instructors']) {
      const own = await scoped({ tenantId: tenants.lakeshore, reach: 'tenant' }, () => count(table, 'tenant_id = $1', [tenants.lakeshore]));
      const other = await scoped({ tenantId: tenants.riverside, reach: 'tenant' }, () =>
        count(table, 'tenant_id = $1', [tenants.lakeshore]),
      );
      expect({ table, own: own > 0, other }).toEqual({ table, own: true, other: 0 });
    }
  });

  it('refuses writing a change log line into another tenant', async () => {
    await scoped({ tenantId: tenants.riverside, reach: 'facility' }, async () => {
      await expect(
        app.query(
          `INSERT INTO campus.class_changes (id, tenant_id, facility_id, class_id, actor_id, action) VALUES (gen_random_uuid(), $1, $2, $3, $4, 'class.updated')`,
          [tenants.lakeshore, facilities.northRidge.id, classId, users.riversideAdmin.id],
        ),
      ).rejects.toThrow(/row-level security/);
    });
  });
});
