import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { countingCampus, DASHBOARD, RANGE, seedFacility, tenantAdmin } from '../scripts/bench/campus-dashboard.ts';
import { appDatabaseUrl } from '../scripts/database.ts';
import { users } from '../scripts/demo/ids.ts';
import { gql, tokenFor } from './support/client.ts';

// The facility dashboard issues a number of SQL statements that does not grow with the number of
// classes or residents. The shared stack's campus process can't be asked to count (and Postgres's
// per-database counters are shared with concurrent test files), so the test serves a campus
// subgraph of its own in this process: the same schema, resolvers, permissions and context, on the
// stack's database as the app role, with a Prisma client whose `query` events are counted.
// Each size is a facility of a fresh tenant seeded directly, so no other test is disturbed.
type Dashboard = {
  facility: {
    classes: {
      nodes: {
        enrollments: { nodes: { status: string; user: { id: string } }[] };
        attendanceRate: { present: number; recorded: number; rate: number | null };
      }[];
    };
  };
};

let campus: Awaited<ReturnType<typeof countingCampus>>;
beforeAll(async () => {
  campus = await countingCampus(
    appDatabaseUrl(inject('adminDatabaseUrl'), inject('secrets').APP_DB_PASSWORD),
    inject('secrets').INTERNAL_JWT_SECRET,
  );
});
afterAll(() => campus.stop());

describe('campus facility dashboard', () => {
  it('issues the same number of SQL statements for 3 classes × 4 residents as for 12 classes × 16 residents', async () => {
    const counts: number[] = [];
    for (const size of [
      { classes: 3, residents: 4 },
      { classes: 12, residents: 16 },
    ]) {
      const seeded = await seedFacility(inject('adminDatabaseUrl'), size);
      const { body, statements } = await campus.query(tenantAdmin(seeded.tenantId), DASHBOARD, { id: seeded.facilityId, ...RANGE });
      expect(body.errors).toBeUndefined();
      const classes = (body.data as Dashboard).facility.classes.nodes;
      // The answer is complete: every class, every resident, every attendance row.
      expect(classes).toHaveLength(size.classes);
      expect(classes.flatMap((c) => c.enrollments.nodes.map((e) => e.user.id)).sort()).toEqual([...seeded.userIds].sort());
      expect(classes.map((c) => c.attendanceRate)).toEqual(
        classes.map(() => ({ present: size.residents / 2, recorded: size.residents, rate: 0.5 })),
      );
      counts.push(statements);
    }
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBe(counts[0]);
  });

  it('answers the same dashboard through the gateway, and another tenant’s administrator gets nothing', async () => {
    const seeded = await seedFacility(inject('adminDatabaseUrl'), { classes: 2, residents: 4 });
    const res = await gql<Dashboard>(DASHBOARD, { id: seeded.facilityId, ...RANGE }, { token: await tokenFor(users.sysadmin.username) });
    expect(res.errors).toBeUndefined();
    expect(res.data!.facility.classes.nodes.map((c) => c.enrollments.nodes.length)).toEqual([4, 4]);
    const outsider = await gql<Dashboard>(
      DASHBOARD,
      { id: seeded.facilityId, ...RANGE },
      { token: await tokenFor(users.deptAdmin.username) },
    );
    expect(outsider.data).toEqual({ facility: null });
  });
});
