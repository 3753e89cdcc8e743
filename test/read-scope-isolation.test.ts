import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pgAdapter, scopedDb, transactionOptions } from '@pathway/kit';
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
