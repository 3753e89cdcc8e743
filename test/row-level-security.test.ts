import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appDatabaseUrl } from '../scripts/database.ts';
import { tenants } from '../scripts/demo/ids.ts';

// Row-Level Security is the second layer under graphql-shield: even SQL sent by a buggy resolver
// must not see another tenant's rows. These tests connect as the application role itself.
const TENANT_TABLES = [
  'identity.users',
  'identity.user_roles',
  'campus.program_classes',
  'campus.program_class_enrollments',
  'learning.courses',
  'behavior.students',
  'behavior.families',
  'market.properties',
];

let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: appDatabaseUrl(inject('adminDatabaseUrl'), inject('secrets').APP_DB_PASSWORD) });
  await client.connect();
});
afterAll(() => client.end());

async function inTransaction<T>(settings: { tenantId: string; reach: string } | null, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    if (settings)
      // app.student_reach: behavior's student_caseload policy (tested in behavior-records) would
      // otherwise narrow students to the caller's own; here only tenant isolation is under test.
      await client.query(
        `SELECT set_config('app.tenant_id', $1, true), set_config('app.reach', $2, true), set_config('app.student_reach', 'all', true)`,
        [settings.tenantId, settings.reach],
      );
    return await fn();
  } finally {
    await client.query('ROLLBACK');
  }
}

const tenantsIn = async (table: string) =>
  (await client.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM ${table}`)).rows.map((r) => r.tenant_id).sort();

describe('Row-Level Security, as the application role', () => {
  it('the application role is neither superuser nor exempt from RLS', async () => {
    const { rows } = await client.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
      'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
    );
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it('without a tenant set, no tenant-scoped row is visible', async () => {
    for (const table of TENANT_TABLES) {
      const { rows } = await inTransaction(null, () => client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`));
      expect({ table, n: Number(rows[0]!.n) }).toEqual({ table, n: 0 });
    }
  });

  it("with a tenant set, only that tenant's rows are visible, in every subgraph's tables", async () => {
    for (const table of TENANT_TABLES) {
      const seen = await inTransaction({ tenantId: tenants.riverside, reach: 'facility' }, () => tenantsIn(table));
      expect({ table, seen }).toEqual({ table, seen: [tenants.riverside] });
    }
  });

  it('system reach sees both tenants (control: the data is there)', async () => {
    const seen = await inTransaction({ tenantId: tenants.lakeshore, reach: 'system' }, () => tenantsIn('identity.users'));
    // Other test files seed tenants of their own: at least both demo tenants.
    expect(seen).toEqual(expect.arrayContaining([tenants.lakeshore, tenants.riverside]));
  });

  it("refuses writing a row into another tenant, and changing another tenant's rows does nothing", async () => {
    await inTransaction({ tenantId: tenants.lakeshore, reach: 'tenant' }, async () => {
      await client.query('SAVEPOINT s');
      await expect(
        client.query(
          `INSERT INTO market.properties (id, tenant_id, owner_id, property_type, status, address, price, updated_at)
          VALUES (gen_random_uuid(), $1, gen_random_uuid(), 'house', 'available', '{}', 1, now())`,
          [tenants.riverside],
        ),
      ).rejects.toThrow(/row-level security/);
      await client.query('ROLLBACK TO SAVEPOINT s');
      const updated = await client.query(`UPDATE identity.users SET first_name = 'X' WHERE tenant_id = $1`, [tenants.riverside]);
      expect(updated.rowCount).toBe(0);
    });
  });
});
