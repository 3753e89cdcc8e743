import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedFacility, type SeededFacility } from '../scripts/bench/campus-dashboard.ts';
import { users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';
import { seed, type SeededFacility as OwnFacility, type SeededPerson, type SeededTenant } from './support/seed.ts';

// Reports through the gateway: roster and attendance of a class (personal, roster access), program
// outcomes and facility comparison (counts, aggregate access and scope), each as data and as CSV.
// The class, its people and both tenants are this file's own (seeded); the demo system administrator
// only reads.
const token = async (person: SeededPerson) => (await person.api()).accessToken;
const sysadmin = () => tokenFor(users.sysadmin.username);
const admin = () => token(people.facilityAdmin);

let tenant: SeededTenant;
/** The tenant's two facilities: the report class is at `north`; `cedar` has none. */
let north: OwnFacility;
let cedar: OwnFacility;
let programId: string;
/** The other tenant's facility and its administrator. */
let elsewhere: OwnFacility;
let people: Record<'facilityAdmin' | 'teacher' | 'lee' | 'garcia' | 'guardian' | 'analyst' | 'otherAdmin', SeededPerson>;

/** RFC 4180 CSV → rows of strings (csv-parse is not installed at the root; this is enough for a test). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else if (ch !== '\r') field += ch;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}
const num = (v: number | null) => (v == null ? '' : String(v));

const ROSTER = `query($id: UUID!) { classRosterReport(classId: $id) { class { id } csv rows { enrollmentId userId status enrolledAt endedAt changeReason user { id displayName } } } }`;
const ATTENDANCE = `query($id: UUID!, $from: DateTime!, $to: DateTime!) { classAttendanceReport(classId: $id, from: $from, to: $to) {
  csv total { present recorded rate } rows { userId attendance { present absentExcused absentUnexcused recorded rate } } } }`;
const OUTCOMES = `{ programOutcomesReport { csv rows { programId programName completed withdrawn dropped failedToComplete transferred segregated incomplete completionRate } } }`;
const COMPARISON = `query($from: DateTime!, $to: DateTime!) { facilityComparisonReport(from: $from, to: $to) { csv
  rows { facilityId facilityName classes activeEnrollments completed incomplete completionRate attendance { present recorded rate } } } }`;
const RANGE = { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' };

type Roster = {
  classRosterReport: {
    csv: string;
    rows: {
      enrollmentId: string;
      userId: string;
      status: string;
      enrolledAt: string;
      endedAt: string | null;
      changeReason: string | null;
      user: { id: string; displayName: string | null };
    }[];
  } | null;
};
type Outcomes = {
  programOutcomesReport: {
    csv: string;
    rows: {
      programId: string;
      programName: string;
      completed: number;
      withdrawn: number;
      dropped: number;
      failedToComplete: number;
      transferred: number;
      segregated: number;
      incomplete: number;
      completionRate: number | null;
    }[];
  };
};
type Comparison = {
  facilityComparisonReport: {
    csv: string;
    rows: {
      facilityId: string;
      facilityName: string;
      classes: number;
      activeEnrollments: number;
      completed: number;
      incomplete: number;
      completionRate: number | null;
      attendance: { present: number; recorded: number; rate: number | null };
    }[];
  };
};

let classId: string;
let seeded: SeededFacility;
let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
  // A fresh tenant (2 classes × 4 people: per class 2 Enrolled, 1 Completed, 1 Dropped; 2 of 4 present) for exact counts.
  seeded = await seedFacility(inject('adminDatabaseUrl'), { classes: 2, residents: 4 });
  // This file's tenant with two facilities (names sort Cedar before North), and another tenant.
  tenant = await seed.tenant();
  const otherTenant = await seed.tenant();
  [cedar, north, elsewhere] = await Promise.all([
    tenant.facility({ name: `Cedar Valley ${tenant.slug}` }),
    tenant.facility({ name: `North Ridge ${tenant.slug}` }),
    otherTenant.facility(),
  ]);
  const [program, facilityAdmin, teacher, lee, garcia, guardian, analyst, otherAdmin] = await Promise.all([
    north.program(),
    north.facilityAdmin(),
    north.staff(),
    north.resident({ firstName: 'Marcus', lastName: 'Lee' }),
    north.resident({ firstName: 'Elena', lastName: 'Garcia' }),
    north.person('guardian'),
    tenant.analyst(),
    elsewhere.facilityAdmin(),
  ]);
  programId = program.id;
  people = { facilityAdmin, teacher, lee, garcia, guardian, analyst, otherAdmin };
  // Lee has a resident (DOC) number; Garcia none: the CSV shows the number, or an empty cell.
  const numbered = await gql(
    `mutation($id: UUID!) { updateUser(id: $id, input: { residentNumber: "DOC-4711" }) { id } }`,
    { id: lee.id },
    { token: await sysadmin() },
  );
  expect(numbered.errors).toBeUndefined();
  // A class at North: Lee stays Enrolled, Garcia drops; one session with attendance.
  const input = {
    programId,
    facilityId: north.id,
    name: `Report class ${randomUUID().slice(0, 8)}`,
    capacity: 10,
    startDt: '2026-09-01T12:00:00Z',
  };
  const created = await gql<{ createProgramClass: { id: string } }>(
    `mutation($input: CreateProgramClassInput!) { createProgramClass(input: $input) { id } }`,
    { input },
    { token: await admin() },
  );
  classId = created.data!.createProgramClass.id;
  const event = await gql<{ createClassEvent: { id: string } }>(
    `mutation($c: UUID!, $input: ClassEventInput!) { createClassEvent(classId: $c, input: $input) { id } }`,
    { c: classId, input: { startsAt: '2026-10-06T13:00:00Z', durationMinutes: 60, recurrenceRule: 'FREQ=WEEKLY;COUNT=2' } },
    { token: await admin() },
  );
  const eventId = event.data!.createClassEvent.id;
  const enrolled = await gql<{ enrollResidents: { id: string }[] }>(
    `mutation($c: UUID!, $u: [UUID!]!) { enrollResidents(classId: $c, userIds: $u) { id } }`,
    { c: classId, u: [lee.id] },
    { token: await admin() },
  );
  expect(enrolled.errors).toBeUndefined();
  // Garcia a moment later: the roster lists by enrollment time, then user id (random here).
  const enrolledLater = await gql(
    `mutation($c: UUID!, $u: [UUID!]!) { enrollResidents(classId: $c, userIds: $u) { id } }`,
    { c: classId, u: [garcia.id] },
    { token: await admin() },
  );
  expect(enrolledLater.errors).toBeUndefined();
  const attend = `mutation($e: UUID!, $d: String!, $r: [AttendanceRecordInput!]!) { takeAttendance(eventId: $e, date: $d, records: $r) { id } }`;
  expect(
    (
      await gql(
        attend,
        {
          e: eventId,
          d: '2026-10-06',
          r: [
            { userId: lee.id, status: 'present' },
            { userId: garcia.id, status: 'absent_excused' },
          ],
        },
        { token: await admin() },
      )
    ).errors,
  ).toBeUndefined();
  expect(
    (
      await gql(
        attend,
        {
          e: eventId,
          d: '2026-10-13',
          r: [
            { userId: lee.id, status: 'present' },
            { userId: garcia.id, status: 'absent_unexcused' },
          ],
        },
        { token: await admin() },
      )
    ).errors,
  ).toBeUndefined();
  const garciaEnrollment = (
    await db.query<{ id: string }>('SELECT id FROM campus.program_class_enrollments WHERE class_id = $1 AND user_id = $2', [
      classId,
      garcia.id,
    ])
  ).rows[0]!.id;
  const dropped = await gql(
    `mutation($id: UUID!) { changeEnrollmentStatus(id: $id, status: Incomplete_Dropped, reason: "=Stopped coming, \\"sick\\", then left") { id } }`,
    { id: garciaEnrollment },
    { token: await admin() },
  );
  expect(dropped.errors).toBeUndefined();
});
afterAll(() => db.end());

describe('campus reports', () => {
  it('lists a class roster with user ids, statuses and dates (names through the graph), and the same as CSV', async () => {
    const res = await gql<Roster>(ROSTER, { id: classId }, { token: await admin() });
    expect(res.errors).toBeUndefined();
    const report = res.data!.classRosterReport!;
    expect(report.rows.map((r) => [r.userId, r.status, r.changeReason, r.endedAt != null, r.user.displayName])).toEqual([
      [people.lee.id, 'Enrolled', null, false, 'Marcus Lee'],
      [people.garcia.id, 'Incomplete_Dropped', '=Stopped coming, "sick", then left', true, 'Elena Garcia'],
    ]);
    const [header, ...lines] = parseCsv(report.csv);
    expect(header).toEqual(['enrollment_id', 'user_id', 'name', 'resident_number', 'status', 'enrolled_at', 'ended_at', 'change_reason']);
    // The same, with the names a person reads; free text that looks like a formula is defused for spreadsheets.
    const numbers = new Map([
      [people.lee.id, 'DOC-4711'],
      [people.garcia.id, ''],
    ]);
    expect(lines).toEqual(
      report.rows.map((r) => [
        r.enrollmentId,
        r.userId,
        r.user.displayName,
        numbers.get(r.userId),
        r.status,
        r.enrolledAt,
        r.endedAt ?? '',
        (r.changeReason ?? '').replace(/^=/, "'="),
      ]),
    );
    expect(lines[1]![7]).toBe(`'=Stopped coming, "sick", then left`);
  });

  it('counts attendance per person of a class over a range, as data and CSV', async () => {
    const res = await gql<{
      classAttendanceReport: {
        csv: string;
        total: unknown;
        rows: {
          userId: string;
          attendance: { present: number; absentExcused: number; absentUnexcused: number; recorded: number; rate: number | null };
        }[];
      };
    }>(ATTENDANCE, { id: classId, ...RANGE }, { token: await admin() });
    expect(res.errors).toBeUndefined();
    const report = res.data!.classAttendanceReport;
    const expected = new Map([
      [people.lee.id, { present: 2, absentExcused: 0, absentUnexcused: 0, recorded: 2, rate: 1 }],
      [people.garcia.id, { present: 0, absentExcused: 1, absentUnexcused: 1, recorded: 2, rate: 0 }],
    ]);
    expect(new Map(report.rows.map((r) => [r.userId, r.attendance]))).toEqual(expected);
    expect(report.total).toEqual({ present: 2, recorded: 4, rate: 0.5 });
    const [header, ...lines] = parseCsv(report.csv);
    expect(header).toEqual(['user_id', 'name', 'resident_number', 'present', 'absent_excused', 'absent_unexcused', 'recorded', 'rate']);
    const names = new Map([
      [people.lee.id, ['Marcus Lee', 'DOC-4711']],
      [people.garcia.id, ['Elena Garcia', '']],
    ]);
    expect(lines).toEqual(
      report.rows.map((r) => [
        r.userId,
        ...names.get(r.userId)!,
        String(r.attendance.present),
        String(r.attendance.absentExcused),
        String(r.attendance.absentUnexcused),
        String(r.attendance.recorded),
        num(r.attendance.rate),
      ]),
    );
    // Only a week: the second session falls outside.
    const week = await gql<{ classAttendanceReport: { total: unknown } }>(
      ATTENDANCE,
      { id: classId, from: '2026-10-01T00:00:00Z', to: '2026-10-08T00:00:00Z' },
      { token: await admin() },
    );
    expect(week.data!.classAttendanceReport.total).toEqual({ present: 1, recorded: 2, rate: 0.5 });
  });

  it('gives rosters only to callers who may read them: not residents, guardians, analysts, other facilities, or staff who do not teach the class', async () => {
    for (const who of [people.lee, people.guardian, people.analyst]) {
      const roster = await gql(ROSTER, { id: classId }, { token: await token(who) });
      const attendance = await gql(ATTENDANCE, { id: classId, ...RANGE }, { token: await token(who) });
      expect({ who: who.username, roster: codes(roster), attendance: codes(attendance) }).toEqual({
        who: who.username,
        roster: ['FORBIDDEN'],
        attendance: ['FORBIDDEN'],
      });
    }
    expect((await gql<Roster>(ROSTER, { id: classId }, { token: await token(people.otherAdmin) })).data).toEqual({
      classRosterReport: null,
    });
    expect((await gql<Roster>(ROSTER, { id: classId }, { token: await token(people.teacher) })).data).toEqual({ classRosterReport: null });
    const assigned = await gql(
      `mutation($c: UUID!, $u: UUID!) { assignInstructor(classId: $c, userId: $u) { id } }`,
      { c: classId, u: people.teacher.id },
      { token: await admin() },
    );
    expect(assigned.errors).toBeUndefined();
    const taught = await gql<Roster>(ROSTER, { id: classId }, { token: await token(people.teacher) });
    expect(taught.data!.classRosterReport!.rows.map((r) => r.userId)).toEqual([people.lee.id, people.garcia.id]);
  });

  it('counts completions vs drops per program, exactly for a fresh tenant, with CSV', async () => {
    const res = await gql<Outcomes>(OUTCOMES, {}, { token: await sysadmin() });
    expect(res.errors).toBeUndefined();
    const report = res.data!.programOutcomesReport;
    expect(report.rows.find((r) => r.programId === seeded.programId)).toMatchObject({
      completed: 2,
      dropped: 2,
      withdrawn: 0,
      incomplete: 2,
      completionRate: 0.5,
    });
    const [header, ...lines] = parseCsv(report.csv);
    expect(header).toEqual([
      'program_id',
      'program',
      'completed',
      'withdrawn',
      'dropped',
      'failed_to_complete',
      'transferred',
      'segregated',
      'incomplete',
      'completion_rate',
    ]);
    expect(lines).toEqual(
      report.rows.map((r) => [
        r.programId,
        r.programName,
        ...[r.completed, r.withdrawn, r.dropped, r.failedToComplete, r.transferred, r.segregated, r.incomplete].map(String),
        num(r.completionRate),
      ]),
    );
  });

  it('compares facilities (classes, active enrollments, completion and attendance rates), exactly for a fresh tenant, with CSV', async () => {
    const res = await gql<Comparison>(COMPARISON, RANGE, { token: await sysadmin() });
    expect(res.errors).toBeUndefined();
    const report = res.data!.facilityComparisonReport;
    expect(report.rows.find((r) => r.facilityId === seeded.facilityId)).toMatchObject({
      classes: 2,
      activeEnrollments: 4,
      completed: 2,
      incomplete: 2,
      completionRate: 0.5,
      attendance: { present: 4, recorded: 8, rate: 0.5 },
    });
    const [header, ...lines] = parseCsv(report.csv);
    expect(header).toEqual([
      'facility_id',
      'facility',
      'classes',
      'active_enrollments',
      'completed',
      'incomplete',
      'completion_rate',
      'present',
      'recorded',
      'attendance_rate',
    ]);
    expect(lines).toEqual(
      report.rows.map((r) => [
        r.facilityId,
        r.facilityName,
        String(r.classes),
        String(r.activeEnrollments),
        String(r.completed),
        String(r.incomplete),
        num(r.completionRate),
        String(r.attendance.present),
        String(r.attendance.recorded),
        num(r.attendance.rate),
      ]),
    );
  });

  it('gives analysts their own tenant only, as counts without any user id', async () => {
    const outcomes = await gql<Outcomes>(OUTCOMES, {}, { token: await token(people.analyst) });
    const comparison = await gql<Comparison>(COMPARISON, RANGE, { token: await token(people.analyst) });
    expect(outcomes.errors).toBeUndefined();
    expect(comparison.errors).toBeUndefined();
    expect(comparison.data!.facilityComparisonReport.rows.map((r) => r.facilityId)).toEqual([cedar.id, north.id]);
    const programIds = outcomes.data!.programOutcomesReport.rows.map((r) => r.programId);
    expect(programIds).toContain(programId);
    const tenantsOf = (
      await db.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM campus.programs WHERE id = ANY($1::uuid[])', [programIds])
    ).rows.map((r) => r.tenant_id);
    expect(tenantsOf).toEqual([tenant.id]);
    const northRidge = comparison.data!.facilityComparisonReport.rows.find((r) => r.facilityId === north.id)!;
    expect(northRidge.classes).toBeGreaterThan(0);
    expect(northRidge.attendance.recorded).toBeGreaterThanOrEqual(4);
    // Every id anywhere in the answers (data and CSV) is a program or a facility: no person.
    const allowed = new Set([...programIds, cedar.id, north.id]);
    const ids =
      JSON.stringify([outcomes.data, comparison.data]).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [];
    expect(ids.filter((id) => !allowed.has(id))).toEqual([]);
    expect(ids).not.toContain(people.lee.id);
  });

  it('scopes a facility admin to their facility and refuses aggregates to residents and guardians', async () => {
    const own = await gql<Comparison>(COMPARISON, RANGE, { token: await admin() });
    expect(own.data!.facilityComparisonReport.rows.map((r) => r.facilityId)).toEqual([north.id]);
    const riverside = await gql<Comparison>(COMPARISON, RANGE, { token: await token(people.otherAdmin) });
    expect(riverside.data!.facilityComparisonReport.rows.map((r) => r.facilityId)).toEqual([elsewhere.id]);
    const riversideOutcomes = await gql<Outcomes>(OUTCOMES, {}, { token: await token(people.otherAdmin) });
    expect(riversideOutcomes.data!.programOutcomesReport.rows.map((r) => r.programId)).not.toContain(programId);
    for (const who of [people.lee, people.guardian, people.teacher]) {
      const outcomes = await gql(OUTCOMES, {}, { token: await token(who) });
      const comparison = await gql(COMPARISON, RANGE, { token: await token(who) });
      expect({ who: who.username, outcomes: codes(outcomes), comparison: codes(comparison) }).toEqual({
        who: who.username,
        outcomes: ['FORBIDDEN'],
        comparison: ['FORBIDDEN'],
      });
    }
  });
});
