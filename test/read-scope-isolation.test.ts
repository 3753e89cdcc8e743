import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { metrics, pgAdapter, scopedDb, transactionOptions, withScope } from '@pathway/kit';
import { PrismaClient } from '../subgraphs/campus/src/generated/prisma/client.ts';
import { seedFacility, tenantAdmin, type SeededFacility } from '../scripts/bench/campus-dashboard.ts';
import { appDatabaseUrl } from '../scripts/database.ts';
import { seed, type SeededTenant } from './support/seed.ts';

// A query operation's reads share one transaction per request (kit db.ts): its Row-Level Security
// settings must be that request's alone, however requests of different tenants interleave on a
// small pool. First at the kit's level with raw SQL, where nothing but RLS tells tenants apart (the
// app role, three connections for sixty requests); then through the gateway, two tenants'
// administrators asking at once.

let prisma: PrismaClient;
let a: SeededFacility;
let b: SeededFacility;
beforeAll(async () => {
  const admin = inject('adminDatabaseUrl');
  prisma = new PrismaClient({
    adapter: pgAdapter(appDatabaseUrl(admin, inject('secrets').APP_DB_PASSWORD), 'campus', 3),
    transactionOptions: transactionOptions(),
  });
  a = await seedFacility(admin, { classes: 2, residents: 2 });
  b = await seedFacility(admin, { classes: 3, residents: 2 });
});
afterAll(() => prisma.$disconnect());

type Row = { tenant_id: string; n: bigint };
const TENANTS_SEEN = `SELECT tenant_id::text AS tenant_id, count(*) AS n FROM campus.program_classes GROUP BY tenant_id`;

describe('the shared read transaction of a request', () => {
  it('sixty interleaved requests of two tenants on three connections each see only their own tenant', async () => {
    const requests = Array.from({ length: 60 }, async (_, i) => {
      const mine = i % 2 ? a : b;
      const db = scopedDb(prisma, tenantAdmin(mine.tenantId));
      db.shareReads();
      // Three reads at once, like a tick's DataLoader batches, and one more after a turn of the event loop.
      const reads = await Promise.all([0, 1, 2].map(() => db.read((tx) => tx.$queryRawUnsafe<Row[]>(TENANTS_SEEN))));
      await new Promise((resolve) => setImmediate(resolve));
      reads.push(await db.read((tx) => tx.$queryRawUnsafe<Row[]>(TENANTS_SEEN)));
      const setting = await db.read((tx) => tx.$queryRawUnsafe<{ t: string }[]>(`SELECT current_setting('app.tenant_id') AS t`));
      await db.end();
      return { mine, reads, tenant: setting[0]!.t };
    });
    for (const { mine, reads, tenant } of await Promise.all(requests)) {
      expect(tenant).toBe(mine.tenantId);
      for (const rows of reads) expect(rows.map((r) => [r.tenant_id, Number(r.n)])).toEqual([[mine.tenantId, mine.classIds.length]]);
    }
  });

  it('leaves no scope on a pooled connection: a statement outside any request sees no tenant row afterwards', async () => {
    const db = scopedDb(prisma, tenantAdmin(a.tenantId));
    db.shareReads();
    expect((await db.read((tx) => tx.$queryRawUnsafe<Row[]>(TENANTS_SEEN))).length).toBe(1);
    await db.end();
    const unscoped = await Promise.all([0, 1, 2].map(() => prisma.$queryRawUnsafe<Row[]>(TENANTS_SEEN)));
    expect(unscoped).toEqual([[], [], []]);
  });
});

// A read opens no transaction: its scope stays on the connection's session until the next statement
// that is not another scoped one clears it (kit pg-pool.ts). On a one-connection pool every step
// below meets the settings the step before it left.
describe('the scope a read leaves on its connection', () => {
  let single: PrismaClient;
  beforeAll(() => {
    const url = appDatabaseUrl(inject('adminDatabaseUrl'), inject('secrets').APP_DB_PASSWORD);
    single = new PrismaClient({ adapter: pgAdapter(url, 'campus', 1), transactionOptions: transactionOptions() });
  });
  afterAll(() => single.$disconnect());

  type Settings = { tenant: string | null; reach: string | null; user: string | null };
  const SETTINGS = `SELECT current_setting('app.tenant_id', true) AS tenant, current_setting('app.reach', true) AS reach, current_setting('app.user_id', true) AS "user"`;
  const settingsNow = async () => (await single.$queryRawUnsafe<Settings[]>(SETTINGS))[0]!;
  const statementsSent = async () => (await metrics.getSingleMetric('pathway_db_statements_total')!.get()).values[0]!.value;
  const readAs = async (tenantId: string, settings: Record<string, string> = {}) => {
    const db = scopedDb(single, tenantAdmin(tenantId), settings);
    db.shareReads();
    const rows = await Promise.all([0, 1, 2].map(() => db.read((tx) => tx.$queryRawUnsafe<Row[]>(TENANTS_SEEN))));
    const seen = await db.read((tx) => tx.$queryRawUnsafe<Settings[]>(SETTINGS));
    await db.end();
    return { rows, seen: seen[0]! };
  };

  it('a request’s reads cost their queries plus at most one statement: no BEGIN, no COMMIT', async () => {
    await readAs(a.tenantId); // warm: the pool's one connection is open
    let before = await statementsSent();
    await readAs(b.tenantId);
    // Four queries and one scope setting (another tenant's was on the session).
    expect((await statementsSent()) - before).toBe(5);
    before = await statementsSent();
    await readAs(b.tenantId);
    // The session holds this scope already: the four queries alone.
    expect((await statementsSent()) - before).toBe(4);
  });

  it('the next request on the connection sees its own scope and none of the settings only the last one had', async () => {
    const first = await readAs(a.tenantId, { 'app.user_id': 'someone-else' });
    expect(first.seen).toEqual({ tenant: a.tenantId, reach: 'tenant', user: 'someone-else' });
    const second = await readAs(b.tenantId);
    expect(second.seen).toEqual({ tenant: b.tenantId, reach: 'tenant', user: '' });
    for (const rows of second.rows) expect(rows.map((r) => r.tenant_id)).toEqual([b.tenantId]);
  });

  it('a statement outside any request, after a read, runs with the scope cleared and sees no tenant row', async () => {
    await readAs(a.tenantId, { 'app.user_id': 'someone-else' });
    expect(await settingsNow()).toEqual({ tenant: '', reach: '', user: '' });
    expect(await single.$queryRawUnsafe<Row[]>(TENANTS_SEEN)).toEqual([]);
  });

  it('a scoped write after a read sees only its own settings, committed or rolled back, and leaves none behind', async () => {
    await readAs(a.tenantId, { 'app.user_id': 'someone-else' });
    const inside = await withScope(single, tenantAdmin(b.tenantId), (tx) => tx.$queryRawUnsafe<Settings[]>(SETTINGS));
    expect(inside[0]).toEqual({ tenant: b.tenantId, reach: 'tenant', user: '' });
    await readAs(a.tenantId, { 'app.user_id': 'someone-else' });
    const failed = withScope(single, tenantAdmin(b.tenantId), async (tx) => {
      expect((await tx.$queryRawUnsafe<Settings[]>(SETTINGS))[0]).toEqual({ tenant: b.tenantId, reach: 'tenant', user: '' });
      throw new Error('changed my mind');
    });
    await expect(failed).rejects.toThrow('changed my mind');
    expect(await settingsNow()).toEqual({ tenant: '', reach: '', user: '' });
    expect(await single.$queryRawUnsafe<Row[]>(TENANTS_SEEN)).toEqual([]);
  });

  it('a transaction outside any request, after a read, starts with the scope cleared', async () => {
    await readAs(a.tenantId);
    const seen = await single.$transaction((tx) => tx.$queryRawUnsafe<Row[]>(TENANTS_SEEN));
    expect(seen).toEqual([]);
  });
});

describe('two tenants asking at once through the gateway', () => {
  let north: SeededTenant;
  let south: SeededTenant;
  const facilities: Record<string, { id: string; people: string[] }> = {};
  beforeAll(async () => {
    [north, south] = await Promise.all([seed.tenant(), seed.tenant()]);
    for (const t of [north, south]) {
      const f = await t.facility();
      const klass = await (await f.program()).class();
      const residents = await Promise.all([f.resident(), f.resident()]);
      await klass.enroll(...residents);
      facilities[t.id] = { id: f.id, people: residents.map((r) => r.id).sort() };
    }
  });

  it('each administrator sees their facility’s residents and never the other tenant’s', async () => {
    const ROSTER = `query($id: UUID!) { facility(id: $id) { id classes(first: 10) { nodes { enrollments(first: 10) { nodes { user { id displayName } } } } } } }`;
    const admins = await Promise.all([north, south].map(async (t) => ({ t, api: await (await t.departmentAdmin()).login() })));
    const asks = Array.from({ length: 24 }, (_, i) => {
      const { t, api } = admins[i % 2]!;
      const other = admins[(i + 1) % 2]!.t;
      return Promise.all([api.gql(ROSTER, { id: facilities[t.id]!.id }), api.gql(ROSTER, { id: facilities[other.id]!.id })]).then(
        ([own, foreign]) => ({ t, own, foreign }),
      );
    });
    for (const { t, own, foreign } of await Promise.all(asks)) {
      expect(own.errors).toBeUndefined();
      const seen = (
        own.data as { facility: { classes: { nodes: { enrollments: { nodes: { user: { id: string } }[] } }[] } } }
      ).facility.classes.nodes
        .flatMap((c) => c.enrollments.nodes.map((e) => e.user.id))
        .sort();
      expect(seen).toEqual(facilities[t.id]!.people);
      expect(foreign.data).toEqual({ facility: null });
    }
  });
});
