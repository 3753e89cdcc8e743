import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codes, gql } from './support/client.ts';
import { seed, type SeededFacility, type SeededPerson, type SeededProgram } from './support/seed.ts';

// Schedules (RRULE in the facility's time zone, single-occurrence overrides, conflicts), attendance
// and staff assignments, through the gateway. The facility, its people and program are this file's
// own (seeded), in America/New_York (DST ends 2026-11-01); another tenant's administrator is too.
let facility: SeededFacility;
let program: SeededProgram;
let facilityAdmin: SeededPerson;
let teacherPerson: SeededPerson;
let lee: SeededPerson;
let garcia: SeededPerson;
let otherTenantAdmin: SeededPerson;
const token = async (person: SeededPerson) => (await person.api()).accessToken;
const admin = () => token(facilityAdmin);

const CREATE = `mutation($input: CreateProgramClassInput!) { createProgramClass(input: $input) { id } }`;
const EVENT = `mutation($classId: UUID!, $input: ClassEventInput!) { createClassEvent(classId: $classId, input: $input) { id recurrenceRule room durationMinutes } }`;
const ENROLL = `mutation($classId: UUID!, $userIds: [UUID!]!) { enrollResidents(classId: $classId, userIds: $userIds) { id } }`;
const OCCURRENCES = `query($id: UUID!, $from: DateTime!, $to: DateTime!) { programClass(id: $id) {
  occurrences(from: $from, to: $to) { date startsAt endsAt localStart localEnd timezone room cancelled rescheduled reason } } }`;
const CANCEL = `mutation($eventId: UUID!, $date: String!, $reason: String) { cancelOccurrence(eventId: $eventId, date: $date, reason: $reason) { date cancelled reason } }`;
const MOVE = `mutation($eventId: UUID!, $date: String!, $input: OccurrenceChangeInput!) { changeOccurrence(eventId: $eventId, date: $date, input: $input, reason: "Room swap") { date localStart room rescheduled } }`;
const ATTEND = `mutation($eventId: UUID!, $date: String!, $records: [AttendanceRecordInput!]!) { takeAttendance(eventId: $eventId, date: $date, records: $records) { id date status note user { id } } }`;

async function newClass(name = `Schedule class ${randomUUID().slice(0, 8)}`) {
  const input = {
    programId: program.id,
    facilityId: facility.id,
    name,
    capacity: 20,
    startDt: '2026-09-01T12:00:00Z',
    endDt: '2027-06-01T12:00:00Z',
  };
  const res = await gql<{ createProgramClass: { id: string } }>(CREATE, { input }, { token: await admin() });
  expect(res.errors).toBeUndefined();
  return res.data!.createProgramClass.id;
}
async function newEvent(classId: string, input: Record<string, unknown>) {
  const res = await gql<{ createClassEvent: { id: string } }>(EVENT, { classId, input }, { token: await admin() });
  expect(res.errors).toBeUndefined();
  return res.data!.createClassEvent.id;
}
async function enroll(classId: string, userIds: string[]) {
  const res = await gql(ENROLL, { classId, userIds }, { token: await admin() });
  expect(res.errors).toBeUndefined();
}

let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('databaseUrl') });
  await db.connect();
  const [tenant, otherTenant] = await Promise.all([seed.tenant(), seed.tenant()]);
  [facility, otherTenantAdmin] = await Promise.all([
    tenant.facility({ timezone: 'America/New_York' }),
    otherTenant.facility().then((f) => f.facilityAdmin()),
  ]);
  [program, facilityAdmin, teacherPerson, lee, garcia] = await Promise.all([
    facility.program(),
    facility.facilityAdmin(),
    facility.staff(),
    facility.resident({ firstName: 'Marcus', lastName: 'Lee' }),
    facility.resident({ firstName: 'Elena', lastName: 'Garcia' }),
  ]);
});
afterAll(() => db.end());
const count = async (sql: string, params: unknown[]) => Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);

describe('campus schedules', () => {
  it('expands a weekly rule at the same local time across the end of DST, and overrides single occurrences', async () => {
    const classId = await newClass();
    const eventId = await newEvent(classId, {
      startsAt: '2026-10-26T12:30:00Z',
      durationMinutes: 90,
      room: 'Room 2',
      recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=4',
    });
    const range = { id: classId, from: '2026-10-20T00:00:00Z', to: '2026-12-01T00:00:00Z' };
    const before = await gql<{ programClass: { occurrences: Record<string, unknown>[] } }>(OCCURRENCES, range, { token: await admin() });
    expect(before.errors).toBeUndefined();
    const occ = before.data!.programClass.occurrences;
    expect(occ.map((o) => o.date)).toEqual(['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16']);
    expect(occ[0]).toMatchObject({
      startsAt: '2026-10-26T12:30:00.000Z',
      localStart: '2026-10-26T08:30:00-04:00',
      localEnd: '2026-10-26T10:00:00-04:00',
      timezone: 'America/New_York',
      room: 'Room 2',
      cancelled: false,
    });
    expect(occ[1]).toMatchObject({ startsAt: '2026-11-02T13:30:00.000Z', localStart: '2026-11-02T08:30:00-05:00' });

    const cancelled = await gql(CANCEL, { eventId, date: '2026-11-09', reason: 'Lockdown drill' }, { token: await admin() });
    expect(cancelled.data).toEqual({ cancelOccurrence: { date: '2026-11-09', cancelled: true, reason: 'Lockdown drill' } });
    const moved = await gql(
      MOVE,
      { eventId, date: '2026-11-16', input: { startsAt: '2026-11-17T15:00:00Z', room: 'Library' } },
      { token: await admin() },
    );
    expect(moved.data).toEqual({
      changeOccurrence: { date: '2026-11-16', localStart: '2026-11-17T10:00:00-05:00', room: 'Library', rescheduled: true },
    });

    const after = (await gql<{ programClass: { occurrences: Record<string, unknown>[] } }>(OCCURRENCES, range, { token: await admin() }))
      .data!.programClass.occurrences;
    expect(after.map((o) => [o.date, o.cancelled, o.room])).toEqual([
      ['2026-10-26', false, 'Room 2'],
      ['2026-11-02', false, 'Room 2'],
      ['2026-11-09', true, 'Room 2'],
      ['2026-11-16', false, 'Library'],
    ]);
    expect((await db.query('SELECT recurrence_rule, room FROM campus.program_class_events WHERE id = $1', [eventId])).rows[0]).toEqual({
      recurrence_rule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=4',
      room: 'Room 2',
    });
  });

  it('rejects invalid recurrence rules, durations and non-occurrence dates, writing nothing', async () => {
    const classId = await newClass();
    for (const recurrenceRule of [
      'garbage',
      'FREQ=SECONDLY',
      'FREQ=WEEKLY;BYDAY=XX',
      'FREQ=DAILY;INTERVAL=abc',
      'DTSTART:20260101T000000Z\nFREQ=DAILY',
      'FREQ=DAILY;BYHOUR=8,9',
    ]) {
      const res = await gql(
        EVENT,
        { classId, input: { startsAt: '2026-10-26T12:30:00Z', durationMinutes: 60, recurrenceRule } },
        { token: await admin() },
      );
      expect({ recurrenceRule, codes: codes(res) }).toEqual({ recurrenceRule, codes: ['BAD_USER_INPUT'] });
      expect(res.errors![0]!.extensions).toMatchObject({ fieldErrors: { recurrenceRule: expect.any(String) } });
    }
    expect(
      codes(await gql(EVENT, { classId, input: { startsAt: '2026-10-26T12:30:00Z', durationMinutes: 0 } }, { token: await admin() })),
    ).toEqual(['BAD_USER_INPUT']);
    expect(await count('SELECT count(*) AS n FROM campus.program_class_events WHERE class_id = $1', [classId])).toBe(0);

    const eventId = await newEvent(classId, {
      startsAt: '2026-10-26T12:30:00Z',
      durationMinutes: 60,
      recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO',
    });
    expect(codes(await gql(CANCEL, { eventId, date: '2026-10-27' }, { token: await admin() }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(CANCEL, { eventId, date: 'yesterday' }, { token: await admin() }))).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(await gql(MOVE, { eventId, date: '2026-11-02', input: { startsAt: '2026-12-30T12:00:00Z' } }, { token: await admin() })),
    ).toEqual(['BAD_USER_INPUT']);
    const tooLong = await gql(
      OCCURRENCES,
      { id: classId, from: '2026-01-01T00:00:00Z', to: '2028-01-01T00:00:00Z' },
      { token: await admin() },
    );
    expect(codes(tooLong)).toEqual(['BAD_USER_INPUT']);
    expect(await count('SELECT count(*) AS n FROM campus.program_class_event_overrides WHERE event_id = $1', [eventId])).toBe(0);
  });

  it('refuses schedule changes to staff and residents, and to another tenant', async () => {
    const classId = await newClass();
    for (const who of [teacherPerson, lee]) {
      const res = await gql(
        EVENT,
        { classId, input: { startsAt: '2026-10-26T12:30:00Z', durationMinutes: 60 } },
        { token: await token(who) },
      );
      expect({ who: who.username, codes: codes(res) }).toEqual({ who: who.username, codes: ['FORBIDDEN'] });
    }
    const res = await gql(
      EVENT,
      { classId, input: { startsAt: '2026-10-26T12:30:00Z', durationMinutes: 60 } },
      { token: await token(otherTenantAdmin) },
    );
    expect(codes(res)).toEqual(['NOT_FOUND']);
  });

  it('reports a resident enrolled in two classes that meet at the same time', async () => {
    const [a, b] = [await newClass(), await newClass()];
    await newEvent(a, { startsAt: '2027-03-01T14:00:00Z', durationMinutes: 60, recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=3' });
    await newEvent(b, { startsAt: '2027-03-01T14:30:00Z', durationMinutes: 60, recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO,TU;COUNT=2' });
    const [both, onlyA] = (await seed.residentsAt(facility, 2)) as [string, string];
    await enroll(a, [both, onlyA]);
    await enroll(b, [both]);
    const res = await gql<{
      scheduleConflicts: { user: { id: string }; first: { class: { id: string }; date: string }; second: { class: { id: string } } }[];
    }>(
      `query { scheduleConflicts(facilityId: "${facility.id}", from: "2027-03-01T00:00:00Z", to: "2027-03-10T00:00:00Z") { user { id } first { date class { id } } second { class { id } } } }`,
      {},
      { token: await admin() },
    );
    expect(res.errors).toBeUndefined();
    const mine = res.data!.scheduleConflicts.filter((c) => c.user.id === both);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.first.date).toBe('2027-03-01');
    expect([mine[0]!.first.class.id, mine[0]!.second.class.id].sort()).toEqual([a, b].sort());
  });
});

describe('campus attendance', () => {
  it('takes attendance for the roster, corrects it with history, reports missing attendance and rates', async () => {
    const classId = await newClass();
    const eventId = await newEvent(classId, {
      startsAt: '2026-10-05T12:30:00Z',
      durationMinutes: 60,
      recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=6',
    });
    const [a, b, outsider] = (await seed.residentsAt(facility, 3)) as [string, string, string];
    await enroll(classId, [a, b]);

    const first = await gql<{ takeAttendance: { status: string; user: { id: string } }[] }>(
      ATTEND,
      {
        eventId,
        date: '2026-10-05',
        records: [
          { userId: a, status: 'present' },
          { userId: b, status: 'absent_excused', note: 'Medical' },
        ],
      },
      { token: await admin() },
    );
    expect(first.errors).toBeUndefined();
    expect(first.data!.takeAttendance).toHaveLength(2);
    const corrected = await gql<{ takeAttendance: { status: string; note: string | null; user: { id: string } }[] }>(
      ATTEND,
      { eventId, date: '2026-10-05', records: [{ userId: b, status: 'present', note: 'Came late' }] },
      { token: await admin() },
    );
    expect(corrected.data!.takeAttendance).toEqual([expect.objectContaining({ status: 'present', note: 'Came late', user: { id: b } })]);

    const log = await gql<{ programClass: { changeLog: { nodes: { action: string; before: unknown; after: unknown }[] } } }>(
      `query($id: UUID!) { programClass(id: $id) { changeLog { nodes { action before after } } } }`,
      { id: classId },
      { token: await admin() },
    );
    expect(log.data!.programClass.changeLog.nodes[0]).toEqual({
      action: 'attendance.corrected',
      before: expect.objectContaining({ status: 'absent_excused', note: 'Medical' }),
      after: expect.objectContaining({ status: 'present', note: 'Came late' }),
    });

    // Not enrolled, not an occurrence, not yet happened: clear codes, nothing written.
    const notEnrolled = await gql(
      ATTEND,
      {
        eventId,
        date: '2026-10-12',
        records: [
          { userId: a, status: 'present' },
          { userId: outsider, status: 'present' },
        ],
      },
      { token: await admin() },
    );
    expect(codes(notEnrolled)).toEqual(['BAD_USER_INPUT']);
    expect(notEnrolled.errors![0]!.extensions).toMatchObject({ fieldErrors: { 'records.1.userId': expect.any(String) } });
    expect(
      codes(await gql(ATTEND, { eventId, date: '2026-10-13', records: [{ userId: a, status: 'present' }] }, { token: await admin() })),
    ).toEqual(['BAD_USER_INPUT']);
    const future = await newEvent(classId, { startsAt: '2027-05-03T12:30:00Z', durationMinutes: 60 });
    expect(
      codes(
        await gql(ATTEND, { eventId: future, date: '2027-05-03', records: [{ userId: a, status: 'present' }] }, { token: await admin() }),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(await count('SELECT count(*) AS n FROM campus.program_class_event_attendance WHERE class_id = $1', [classId])).toBe(2);

    const report = await gql<{
      programClass: { missingAttendance: { date: string }[]; attendanceRate: { present: number; recorded: number; rate: number } };
    }>(
      `query($id: UUID!) { programClass(id: $id) { missingAttendance(from: "2026-10-01T00:00:00Z", to: "2026-11-20T00:00:00Z") { date }
        attendanceRate(from: "2026-10-01T00:00:00Z", to: "2026-11-20T00:00:00Z") { present absentExcused absentUnexcused recorded rate } } }`,
      { id: classId },
      { token: await admin() },
    );
    expect(report.errors).toBeUndefined();
    expect(report.data!.programClass.missingAttendance.map((o) => o.date)).toEqual([
      '2026-10-12',
      '2026-10-19',
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
    ]);
    expect(report.data!.programClass.attendanceRate).toEqual({ present: 2, absentExcused: 0, absentUnexcused: 0, recorded: 2, rate: 1 });
  });

  it('takes the same occurrence from many devices at once: every take succeeds, one row per person', async () => {
    const classId = await newClass();
    const eventId = await newEvent(classId, {
      startsAt: '2026-10-05T12:30:00Z',
      durationMinutes: 60,
      recurrenceRule: 'FREQ=WEEKLY;COUNT=2',
    });
    const [a, b] = (await seed.residentsAt(facility, 2)) as [string, string];
    await enroll(classId, [a, b]);
    const token = await admin();
    // Two tablets in one classroom send the first take together (the soak bench found this racing to a unique violation).
    const takes = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        gql(
          ATTEND,
          {
            eventId,
            date: '2026-10-05',
            records: [
              { userId: a, status: 'present' },
              { userId: b, status: i % 2 ? 'present' : 'absent_excused' },
            ],
          },
          { token },
        ),
      ),
    );
    expect(takes.map((t) => codes(t))).toEqual(Array(8).fill([]));
    expect(await count('SELECT count(*) AS n FROM campus.program_class_event_attendance WHERE event_id = $1', [eventId])).toBe(2);
  });

  it('staff take attendance and see rosters only of classes they teach', async () => {
    const taught = await newClass();
    const other = await newClass();
    const eventId = await newEvent(taught, {
      startsAt: '2026-10-05T12:30:00Z',
      durationMinutes: 60,
      recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=2',
    });
    const otherEvent = await newEvent(other, { startsAt: '2026-10-05T12:30:00Z', durationMinutes: 60 });
    const [person] = (await seed.residentsAt(facility, 1)) as [string];
    await enroll(taught, [person]);
    await enroll(other, [person]);
    const teacher = await token(teacherPerson);

    const before = await gql(ATTEND, { eventId, date: '2026-10-05', records: [{ userId: person, status: 'present' }] }, { token: teacher });
    expect(codes(before)).toEqual(['FORBIDDEN']);
    const assigned = await gql(
      `mutation($c: UUID!, $u: UUID!) { assignInstructor(classId: $c, userId: $u) { id instructors { id } } }`,
      { c: taught, u: teacherPerson.id },
      { token: await admin() },
    );
    expect(assigned.data).toEqual({ assignInstructor: { id: taught, instructors: [{ id: teacherPerson.id }] } });
    // Residents and staff cannot assign instructors.
    for (const who of [teacherPerson, lee]) {
      expect(
        codes(
          await gql(
            `mutation($c: UUID!, $u: UUID!) { assignInstructor(classId: $c, userId: $u) { id } }`,
            { c: other, u: teacherPerson.id },
            { token: await token(who) },
          ),
        ),
      ).toEqual(['FORBIDDEN']);
    }

    const taken = await gql(ATTEND, { eventId, date: '2026-10-05', records: [{ userId: person, status: 'present' }] }, { token: teacher });
    expect(taken.errors).toBeUndefined();
    expect(
      codes(
        await gql(
          ATTEND,
          { eventId: otherEvent, date: '2026-10-05', records: [{ userId: person, status: 'present' }] },
          { token: teacher },
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    // Residents cannot take attendance at all.
    expect(
      codes(
        await gql(ATTEND, { eventId, date: '2026-10-12', records: [{ userId: person, status: 'present' }] }, { token: await token(lee) }),
      ),
    ).toEqual(['FORBIDDEN']);

    const ROSTER = `query($id: UUID!) { programClass(id: $id) { id enrollments { nodes { user { id } } } } }`;
    const mine = await gql<{ programClass: { enrollments: { nodes: { user: { id: string } }[] } } }>(
      ROSTER,
      { id: taught },
      { token: teacher },
    );
    expect(mine.data!.programClass.enrollments.nodes.map((n) => n.user.id)).toEqual([person]);
    const notMine = await gql<{ programClass: { enrollments: { nodes: unknown[] } } }>(ROSTER, { id: other }, { token: teacher });
    expect(notMine.data!.programClass.enrollments.nodes).toEqual([]);
    const history = await gql<{ programClass: { changeLog: unknown } | null }>(
      `query($id: UUID!) { programClass(id: $id) { changeLog { nodes { action } } } }`,
      { id: other },
      { token: teacher },
    );
    expect(codes(history)).toContain('FORBIDDEN');

    const ATTENDANCE = `query($id: UUID!, $from: DateTime!, $to: DateTime!) { programClass(id: $id) { occurrences(from: $from, to: $to) { date attendance { status user { id } } } } }`;
    const seen = await gql<{ programClass: { occurrences: { date: string; attendance: { status: string }[] }[] } }>(
      ATTENDANCE,
      { id: taught, from: '2026-10-01T00:00:00Z', to: '2026-10-20T00:00:00Z' },
      { token: teacher },
    );
    expect(seen.data!.programClass.occurrences.map((o) => [o.date, o.attendance.map((a) => a.status)])).toEqual([
      ['2026-10-05', ['present']],
      ['2026-10-12', []],
    ]);
  });

  it("a resident sees their own attendance, not a classmate's", async () => {
    // Lee and Garcia are in a morning cohort scheduled Mon/Wed/Fri (as the demo's GED cohort is).
    const classId = await newClass();
    const eventId = await newEvent(classId, {
      startsAt: '2026-09-08T12:30:00Z',
      durationMinutes: 120,
      room: 'Education Building 2',
      recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=20261218T235959Z',
    });
    await enroll(classId, [lee.id, garcia.id]);
    const date = '2026-09-09';
    const taken = await gql(
      ATTEND,
      {
        eventId,
        date,
        records: [
          { userId: lee.id, status: 'present' },
          { userId: garcia.id, status: 'absent_unexcused' },
        ],
      },
      { token: await admin() },
    );
    expect(taken.errors).toBeUndefined();
    const leeToken = await token(lee);
    const own = await gql<{ me: { attendance: { nodes: { date: string; status: string }[] } } }>(
      `query { me { attendance(first: 100) { nodes { date status } } } }`,
      {},
      { token: leeToken },
    );
    expect(own.errors).toBeUndefined();
    expect(own.data!.me.attendance.nodes).toContainEqual({ date, status: 'present' });
    const roster = await gql<{ programClass: { occurrences: { attendance: { user: { id: string } }[] }[] } }>(
      `query($id: UUID!) { programClass(id: $id) { occurrences(from: "2026-09-09T00:00:00Z", to: "2026-09-10T00:00:00Z") { attendance { user { id } } } } }`,
      { id: classId },
      { token: leeToken },
    );
    expect(roster.errors).toBeUndefined();
    expect(roster.data!.programClass.occurrences.flatMap((o) => o.attendance.map((a) => a.user.id))).toEqual([lee.id]);
    const other = await gql(
      `query($id: UUID!) { user(id: $id) { attendance { nodes { status } } } }`,
      { id: garcia.id },
      { token: leeToken },
    );
    expect(JSON.stringify(other.data ?? {})).not.toContain('absent_unexcused');
  });
});
