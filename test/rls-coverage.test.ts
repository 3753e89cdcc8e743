import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { appDatabaseUrl } from '../scripts/database.ts';
import { SUBGRAPHS } from '../scripts/subgraphs.ts';

// Row-Level Security coverage, read from pg_catalog rather than from a list kept by hand: every table
// of every subgraph's schema that holds a tenant's rows has RLS enabled AND forced, with a policy on
// its tenant column. A new tenant table without RLS fails here; so does a new table without a tenant
// column, until it is named below as holding no tenant's data.
const SCHEMAS: string[] = SUBGRAPHS.map((s) => s.name);

/** Tables whose rows belong to no tenant (the same for every tenant), and why. */
const GLOBAL_TABLES: Record<string, string> = {
  _prisma_migrations: "Prisma's migration history (in each schema)",
  'identity.roles': 'the role catalog',
  'identity.permissions': 'the permission catalog',
  'identity.role_permissions': "the roles' default grants",
};
/** Tenant tables whose tenant is not in a `tenant_id` column. */
const TENANT_KEY: Record<string, string> = { 'identity.tenants': 'id' };

interface TableSecurity {
  name: string;
  tenantKey: string | null;
  enabled: boolean;
  forced: boolean;
  /** Policies whose USING and WITH CHECK both read the tenant key. */
  tenantPolicies: string[];
}

async function readCatalog(): Promise<TableSecurity[]> {
  const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ name: string; has_tenant_id: boolean; enabled: boolean; forced: boolean }>(
      `SELECT n.nspname || '.' || c.relname AS name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
              EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped) AS has_tenant_id
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1)
        ORDER BY 1`,
      [SCHEMAS],
    );
    const policies = await admin.query<{ name: string; policy: string; qual: string | null; with_check: string | null }>(
      `SELECT schemaname || '.' || tablename AS name, policyname AS policy, qual, with_check FROM pg_policies WHERE schemaname = ANY($1)`,
      [SCHEMAS],
    );
    return rows.map((row) => {
      const tenantKey = TENANT_KEY[row.name] ?? (row.has_tenant_id ? 'tenant_id' : null);
      const readsKey = (expression: string | null) => expression !== null && new RegExp(`\\b${tenantKey}\\b`).test(expression);
      const tenantPolicies = policies.rows
        .filter((p) => p.name === row.name && readsKey(p.qual) && readsKey(p.with_check))
        .map((p) => p.policy);
      return { name: row.name, tenantKey, enabled: row.enabled, forced: row.forced, tenantPolicies };
    });
  } finally {
    await admin.end();
  }
}

const tables = await readCatalog();
const tenantTables = tables.filter((t) => t.tenantKey !== null);
console.info(
  `Row-Level Security checked on ${tenantTables.length} tenant tables:\n` +
    tenantTables
      .map((t) => `  ${t.name.padEnd(45)} enabled=${t.enabled} forced=${t.forced} policies=${t.tenantPolicies.join(',') || '-'}`)
      .join('\n'),
);

describe('Row-Level Security covers every tenant table (pg_catalog)', () => {
  it.each(tenantTables.map((t) => [t.name, t]))('%s: enabled, forced, with a policy on its tenant', (_name, table) => {
    expect({ enabled: table.enabled, forced: table.forced, hasTenantPolicy: table.tenantPolicies.length > 0 }).toEqual({
      enabled: true,
      forced: true,
      hasTenantPolicy: true,
    });
  });

  it('every table without a tenant column is one known to hold no tenant data', () => {
    const unexplained = tables
      .filter((t) => t.tenantKey === null)
      .map((t) => t.name)
      .filter((name) => !(name in GLOBAL_TABLES) && !(name.split('.')[1]! in GLOBAL_TABLES));
    expect(unexplained).toEqual([]);
  });

  it("every subgraph's schema was read, its outbox among its tenant tables", () => {
    for (const schema of SCHEMAS) expect(tenantTables.map((t) => t.name)).toContain(`${schema}.outbox_events`);
  });
});

describe('the outbox as the application role', () => {
  const app = new pg.Client({ connectionString: appDatabaseUrl(inject('adminDatabaseUrl'), inject('secrets').APP_DB_PASSWORD) });
  const connected = app.connect();
  afterAll(() => app.end());

  /** Runs `fn` in a transaction with the given scope, always rolled back (the relay never sees these rows). */
  async function scoped<T>(tenantId: string, reach: string, fn: () => Promise<T>): Promise<T> {
    await connected;
    await app.query('BEGIN');
    try {
      await app.query(`SELECT set_config('app.tenant_id', $1, true), set_config('app.reach', $2, true)`, [tenantId, reach]);
      return await fn();
    } finally {
      await app.query('ROLLBACK');
    }
  }

  it.each(SCHEMAS)(
    "%s.outbox_events: a tenant sees and writes only its own tenant's events; the relay (service) sees all",
    async (schema) => {
      const [a, b, marker] = [randomUUID(), randomUUID(), randomUUID()];
      const table = `${schema}.outbox_events`;
      const insert = (tenantId: string) =>
        app.query(`INSERT INTO ${table} (tenant_id, event) VALUES ($1, $2::jsonb)`, [tenantId, JSON.stringify({ tenantId, marker })]);
      const visible = async () =>
        (await app.query<{ tenant_id: string }>(`SELECT tenant_id FROM ${table} WHERE event ->> 'marker' = $1`, [marker])).rows.map(
          (r) => r.tenant_id,
        );
      const seen = await scoped('', 'service', async () => {
        await insert(a);
        await insert(b);
        const asService = (await visible()).sort();
        await app.query(`SELECT set_config('app.tenant_id', $1, true), set_config('app.reach', 'tenant', true)`, [a]);
        const asTenantA = await visible();
        await app.query(`SELECT set_config('app.tenant_id', '', true), set_config('app.reach', '', true)`);
        const unscoped = await visible();
        return { asService, asTenantA, unscoped };
      });
      expect(seen).toEqual({ asService: [a, b].sort(), asTenantA: [a], unscoped: [] });
      await expect(scoped(a, 'tenant', () => insert(b))).rejects.toThrow(/row-level security/);
    },
  );
});
