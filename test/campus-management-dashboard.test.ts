import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { countingCampus, seedFacility, tenantAdmin } from '../scripts/bench/campus-dashboard.ts';
import { appDatabaseUrl } from '../scripts/database.ts';
import { users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';
import { seed } from './support/seed.ts';

// The facility and department dashboards (issue 14): today's schedule, classes needing attendance,
// enrollment and completion trends by month, per-resident engagement. Each is one query whose SQL
// statement count does not grow with classes, residents or facilities: counted in a campus subgraph
// served in this process with a counting Prisma client (as test/campus-dashboard.test.ts does), and
// answered through the gateway with learning's courses beside campus's counts.
const BODY = `date
  todaySchedule { date startsAt cancelled class { id name } }
  classesNeedingAttendance { missing class { id } occurrences { date } }
  trends(months: 3) { month enrolled completed incomplete }
  residentEngagement(first: 100) { user { id } activeClasses completedClasses incompleteClasses attendance { present recorded rate } }`;
const FACILITY = `query($id: UUID!, $date: LocalDate) { facilityDashboard(facilityId: $id, date: $date) { facility { id } ${BODY} } }`;
const DEPARTMENT = `query($date: LocalDate) { departmentDashboard(date: $date) { facilities { facility { id } ${BODY} } } }`;
// Seeded classes meet weekly from Monday 5 October 2026 (10 weeks), attendance taken on the 5th only.
const DATE = '2026-10-19';

type Dashboard = {
  date: string;
  todaySchedule: { date: string; class: { id: string } }[];
  classesNeedingAttendance: { missing: number; occurrences: { date: string }[] }[];
  trends: { month: string; enrolled: number; completed: number; incomplete: number }[];
  residentEngagement: {
    user: { id: string };
    activeClasses: number;
    completedClasses: number;
    incompleteClasses: number;
    attendance: { recorded: number };
  }[];
};

let campus: Awaited<ReturnType<typeof countingCampus>>;
beforeAll(async () => {
  campus = await countingCampus(
    appDatabaseUrl(inject('adminDatabaseUrl'), inject('secrets').APP_DB_PASSWORD),
    inject('secrets').INTERNAL_JWT_SECRET,
  );
});
afterAll(() => campus.stop());

function expectComplete(d: Dashboard, size: { classes: number; residents: number }, userIds: string[]) {
  expect(d.date).toBe(DATE);
  expect(d.todaySchedule).toHaveLength(size.classes);
  expect(d.todaySchedule.every((o) => o.date === DATE)).toBe(true);
  // 12 and 19 October have no attendance; 5 October is outside the 14-day window.
  expect(d.classesNeedingAttendance).toHaveLength(size.classes);
  expect(
    d.classesNeedingAttendance.every((g) => g.missing === 2 && g.occurrences.map((o) => o.date).join() === '2026-10-12,2026-10-19'),
  ).toBe(true);
  const ended = size.classes * (size.residents / 4);
  expect(d.trends).toEqual([
    { month: '2026-08', enrolled: 0, completed: 0, incomplete: 0 },
    { month: '2026-09', enrolled: size.classes * size.residents, completed: 0, incomplete: 0 },
    { month: '2026-10', enrolled: 0, completed: ended, incomplete: ended },
  ]);
  // At most `first` people, the enrolled first.
  const shown = d.residentEngagement.map((r) => r.user.id);
  expect(shown).toHaveLength(Math.min(100, userIds.length));
  expect(shown.every((id) => userIds.includes(id))).toBe(true);
  const active = d.residentEngagement.map((r) => r.activeClasses);
  expect(active).toEqual([...active].sort((a, b) => b - a));
  expect(
    d.residentEngagement.every((r) => r.activeClasses + r.completedClasses + r.incompleteClasses === 1 && r.attendance.recorded === 1),
  ).toBe(true);
}

describe('campus dashboards', () => {
  it('a facility dashboard costs the same SQL statements for 3 classes × 4 residents as for 12 classes × 16 residents', async () => {
    const counts: number[] = [];
    for (const size of [
      { classes: 3, residents: 4 },
      { classes: 12, residents: 16 },
    ]) {
      const seeded = await seedFacility(inject('adminDatabaseUrl'), size);
      const { body, statements } = await campus.query(tenantAdmin(seeded.tenantId), FACILITY, { id: seeded.facilityId, date: DATE });
      expect(body.errors).toBeUndefined();
      expectComplete((body.data as { facilityDashboard: Dashboard }).facilityDashboard, size, seeded.userIds);
      counts.push(statements);
    }
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBe(counts[0]);
  });

  it('a department dashboard costs the same SQL statements for 1 facility as for 4', async () => {
    const counts: number[] = [];
    for (const facilities of [1, 4]) {
      const first = await seedFacility(inject('adminDatabaseUrl'), { classes: 2, residents: 4 });
      for (let i = 1; i < facilities; i++) await seedFacility(inject('adminDatabaseUrl'), { classes: 2, residents: 4 }, first.tenantId);
      const { body, statements } = await campus.query(tenantAdmin(first.tenantId), DEPARTMENT, { date: DATE });
      expect(body.errors).toBeUndefined();
      const shown = (body.data as { departmentDashboard: { facilities: Dashboard[] } }).departmentDashboard.facilities;
      expect(shown).toHaveLength(facilities);
      for (const d of shown) expect(d.todaySchedule).toHaveLength(2);
      counts.push(statements);
    }
    expect(counts[1]).toBe(counts[0]);
  });

  it('through the gateway: the dashboard with learning’s courses per resident; staff, residents and other tenants get nothing', async () => {
    const seeded = await seedFacility(inject('adminDatabaseUrl'), { classes: 2, residents: 4 });
    const withCourses = FACILITY.replace('user { id }', 'user { id courseEnrollments(first: 5) { nodes { id } } }');
    const res = await gql<{ facilityDashboard: Dashboard }>(
      withCourses,
      { id: seeded.facilityId, date: DATE },
      { token: await tokenFor(users.sysadmin.username) },
    );
    expect(res.errors).toBeUndefined();
    expectComplete(res.data!.facilityDashboard, { classes: 2, residents: 4 }, seeded.userIds);
    // Another tenant's department administrator: the facility is not theirs.
    const outsider = await gql(FACILITY, { id: seeded.facilityId, date: DATE }, { token: await tokenFor(users.deptAdmin.username) });
    expect(outsider.data).toEqual({ facilityDashboard: null });

    const t = await seed.tenant();
    const f = await t.facility();
    for (const person of [await f.staff(), await f.resident()]) {
      const denied = await gql(FACILITY, { id: f.id }, { token: (await person.api()).accessToken });
      expect(codes(denied)).toEqual(['FORBIDDEN']);
      expect(codes(await gql(DEPARTMENT, {}, { token: (await person.api()).accessToken }))).toEqual(['FORBIDDEN']);
    }
    const admin = await f.facilityAdmin();
    const own = await gql<{ facilityDashboard: Dashboard }>(FACILITY, { id: f.id }, { token: (await admin.api()).accessToken });
    expect(own.errors).toBeUndefined();
    expect(own.data!.facilityDashboard.trends).toHaveLength(3);
    expect(codes(await gql(FACILITY, { id: 'nope' }, { token: (await admin.api()).accessToken }))).toEqual(['BAD_USER_INPUT']);
    const badMonths = await gql(FACILITY.replace('months: 3', 'months: 99'), { id: f.id }, { token: (await admin.api()).accessToken });
    expect(codes(badMonths)).toEqual(['BAD_USER_INPUT']);
  });
});
