// `pnpm seed --scale N` (scripts/seed): the generated world lands in a database of its own with
// the counts it reports, scoped to its own tenant, and the same seed gives the same rows (ids
// included) on every run while another seed gives others.
import { createHash } from 'node:crypto';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase, resolveMongo, type ResolvedMongo } from '@pathway/devstack';
import { migrateAll } from '../scripts/database.ts';
import { seedScale } from '../scripts/seed/index.ts';
import type { Row } from '../scripts/seed/bulk.ts';
import { generateWorld, type Counts } from '../scripts/seed/world.ts';

const dbName = `pathway_seedtest_${process.pid}`;
let databaseUrl: string;
let mongo: ResolvedMongo;
let client: pg.Client;
let counts: Counts;
const SCALE = 0.01;

/** md5 of each table's ids (sorted, like ORDER BY id) as the generator makes them for `seed`, without a database. */
async function generatedDigests(seed: number, roleIds: Record<string, string>): Promise<Record<string, string>> {
  const ids = new Map<string, string[]>();
  await generateWorld(
    { scale: SCALE, seed, mongoScale: SCALE, roleIds },
    {
      async rows(schema, table, _tenant, rows: Row[]) {
        if (!('id' in rows[0]!)) return;
        ids.set(`${schema}.${table}`, [...(ids.get(`${schema}.${table}`) ?? []), ...rows.map((r) => String(r.id))]);
      },
      async documents() {},
    },
  );
  return Object.fromEntries([...ids].map(([table, list]) => [table, createHash('md5').update(list.sort().join(',')).digest('hex')]));
}

beforeAll(async () => {
  databaseUrl = await createDatabase(inject('adminDatabaseUrl'), dbName);
  await migrateAll(databaseUrl);
  // A MongoDB of the test's own: the stack's holds other tests' documents.
  mongo = await resolveMongo({ preferMemoryServer: false });
  counts = await seedScale({ databaseUrl, mongoUrl: mongo.url, scale: SCALE, seed: 42, mongoScale: SCALE });
  client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
}, 180_000);

afterAll(async () => {
  await client?.end();
  await mongo?.stop();
  await dropDatabase(inject('adminDatabaseUrl'), dbName).catch(() => {});
});

describe('pnpm seed --scale', () => {
  it('writes the counts it reports: scale 0.01 is a hundredth of a tenant', async () => {
    const tables = Object.keys(counts).filter((k) => !k.startsWith('mongo '));
    for (const table of tables) {
      const [schema, name] = table.split('.');
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}"."${name}"`);
      expect({ table, n: Number(rows[0]!.n) }).toEqual({ table, n: counts[table] });
    }
    expect(counts['identity.users']).toBe(50);
    expect(counts['campus.program_classes']).toBe(2);
    expect(counts['learning.milestones']).toBe(500);
    expect(counts['behavior.behavior_requests']).toBe(300);
    expect(counts['market.properties']).toBe(50);
    expect(counts['identity.user_roles']).toBe(50);
    expect(counts['campus.program_class_event_attendance']).toBeGreaterThan(counts['campus.program_class_enrollments']!);

    const docs = await MongoClient.connect(mongo.url);
    try {
      expect(await docs.db('pathway_behavior').collection('user_activity').countDocuments()).toBe(counts['mongo behavior.user_activity']);
      expect(await docs.db('pathway_market').collection('digital_assets').countDocuments()).toBe(counts['mongo market.digital_assets']);
      expect(counts['mongo behavior.user_activity']).toBe(1_000);
    } finally {
      await docs.close();
    }
  });

  it('puts every row in its one tenant', async () => {
    const { rows: tenants } = await client.query<{ id: string }>('SELECT id FROM identity.tenants');
    expect(tenants).toHaveLength(1);
    for (const table of [
      'identity.users',
      'campus.program_class_event_attendance',
      'learning.milestones',
      'behavior.students',
      'market.properties',
    ]) {
      const { rows } = await client.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM ${table}`);
      expect({ table, tenants: rows.map((r) => r.tenant_id) }).toEqual({ table, tenants: [tenants[0]!.id] });
    }
  });

  it('is deterministic: the same seed gives the same ids (md5 per table), another seed others', async () => {
    const { rows: roles } = await client.query<{ id: string; name: string }>('SELECT id, name FROM identity.roles');
    const roleIds = Object.fromEntries(roles.map((r) => [r.name, r.id]));
    const expected = await generatedDigests(42, roleIds);
    expect(await generatedDigests(42, roleIds)).toEqual(expected);
    for (const table of Object.keys(expected)) {
      const [schema, name] = table.split('.');
      const { rows } = await client.query<{ md5: string }>(
        `SELECT md5(string_agg(id::text, ',' ORDER BY id::text)) AS md5 FROM "${schema}"."${name}"`,
      );
      expect({ table, md5: rows[0]!.md5 }).toEqual({ table, md5: expected[table] });
    }
    const other = await generatedDigests(43, roleIds);
    for (const table of Object.keys(expected)) expect(other[table]).not.toBe(expected[table]);
  });
});
