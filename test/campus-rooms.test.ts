import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';
import { seed, type SeededFacility, type SeededPerson, type SeededProgram, type SeededTenant } from './support/seed.ts';

// Rooms, room bookings with room and instructor conflicts, and facility closures (lockdown days)
// through the gateway (issue 14).
const CREATE_ROOM = `mutation($f: UUID!, $input: RoomInput!) { createRoom(facilityId: $f, input: $input) { roomId room { id name capacity facility { id } } } }`;
const UPDATE_ROOM = `mutation($id: UUID!, $input: UpdateRoomInput!) { updateRoom(id: $id, input: $input) { room { name capacity } } }`;
const ARCHIVE_ROOM = `mutation($id: UUID!) { archiveRoom(id: $id) { room { archivedAt } } }`;
const ROOMS = `query($id: UUID!) { facility(id: $id) { rooms(first: 10) { nodes { id name } } } }`;
const SCHEDULE = `query($id: UUID!, $from: DateTime!, $to: DateTime!) { room(id: $id) { name schedule(from: $from, to: $to) { date class { id } bookedRoom { id } } } }`;
const EVENT = `mutation($c: UUID!, $input: ClassEventInput!) { createClassEvent(classId: $c, input: $input) { id bookedRoom { id } } }`;
const SET_ROOM = `mutation($e: UUID!, $r: UUID) { setEventRoom(eventId: $e, roomId: $r) { id bookedRoom { id } } }`;
const ASSIGN = `mutation($c: UUID!, $u: UUID!) { assignInstructor(classId: $c, userId: $u) { id } }`;
const CLOSE = `mutation($f: UUID!, $d: LocalDate!, $r: String!) { cancelFacilityDay(facilityId: $f, date: $d, reason: $r) { occurrences closure { id date reason liftedAt } } }`;
const REOPEN = `mutation($f: UUID!, $d: LocalDate!) { uncancelFacilityDay(facilityId: $f, date: $d) { occurrences closure { liftedAt } } }`;
const CANCEL_ONE = `mutation($e: UUID!, $d: String!) { cancelOccurrence(eventId: $e, date: $d, reason: "instructor ill") { cancelled } }`;
const OCCURRENCES = `query($id: UUID!, $from: DateTime!, $to: DateTime!) { programClass(id: $id) { occurrences(from: $from, to: $to) { date cancelled reason closure { reason } } } }`;

// Mondays in 2027 at 09:00 New York (14:00Z).
const MONDAY = '2027-01-04T14:00:00Z';
const WEEKLY = 'FREQ=WEEKLY;COUNT=8';
const WEEK = { from: '2027-01-04T00:00:00Z', to: '2027-01-11T00:00:00Z' };

let tenant: SeededTenant;
let facility: SeededFacility;
let program: SeededProgram;
let admin: SeededPerson;
let staff: SeededPerson;
let resident: SeededPerson;
let db: pg.Client;
const suffix = () => randomUUID().slice(0, 8);
const sysadmin = () => tokenFor(users.sysadmin.username);
const token = async (p: SeededPerson) => (await p.api()).accessToken;
const asAdmin = async <T = Record<string, unknown>>(q: string, v: Record<string, unknown>) => gql<T>(q, v, { token: await token(admin) });
const eventsOf = async (classId: string) =>
  Number((await db.query('SELECT count(*) AS n FROM campus.program_class_events WHERE class_id = $1', [classId])).rows[0].n);

async function newRoom(capacity: number | null = 20, f = facility) {
  const res = await gql<{ createRoom: { roomId: string } }>(
    CREATE_ROOM,
    { f: f.id, input: { name: `Room ${suffix()}`, capacity } },
    { token: await sysadmin() },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.createRoom.roomId;
}

beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
  tenant = await seed.tenant();
  facility = await tenant.facility({ timezone: 'America/New_York' });
  [program, admin, staff, resident] = await Promise.all([
    facility.program(),
    facility.facilityAdmin(),
    facility.staff(),
    facility.resident(),
  ]);
});
afterAll(() => db.end());

describe('rooms', () => {
  it('a facility administrator adds and changes rooms; staff see them; staff and residents may not change them', async () => {
    const name = `Library ${suffix()}`;
    const created = await asAdmin<{ createRoom: { roomId: string; room: Record<string, unknown> } }>(CREATE_ROOM, {
      f: facility.id,
      input: { name, capacity: 12 },
    });
    expect(created.errors).toBeUndefined();
    const id = created.data!.createRoom.roomId;
    expect(created.data!.createRoom.room).toEqual({ id, name, capacity: 12, facility: { id: facility.id } });
    expect((await asAdmin(UPDATE_ROOM, { id, input: { capacity: 15 } })).data).toEqual({ updateRoom: { room: { name, capacity: 15 } } });
    const listed = await gql<{ facility: { rooms: { nodes: { id: string }[] } } }>(
      ROOMS,
      { id: facility.id },
      { token: await token(staff) },
    );
    expect(listed.data!.facility.rooms.nodes.map((r) => r.id)).toContain(id);
    for (const person of [staff, resident]) {
      expect(codes(await gql(CREATE_ROOM, { f: facility.id, input: { name: `X ${suffix()}` } }, { token: await token(person) }))).toEqual([
        'FORBIDDEN',
      ]);
      expect(codes(await gql(UPDATE_ROOM, { id, input: { name: 'Taken' } }, { token: await token(person) }))).toEqual(['FORBIDDEN']);
    }
    const row = (await db.query('SELECT name, capacity FROM campus.rooms WHERE id = $1', [id])).rows[0];
    expect(row).toEqual({ name, capacity: 15 });
  });

  it('bad input: empty name, capacity 0, a taken name, unknown and other facilities’ ids', async () => {
    const id = await newRoom();
    expect(codes(await asAdmin(CREATE_ROOM, { f: facility.id, input: { name: ' ' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await asAdmin(CREATE_ROOM, { f: facility.id, input: { name: `Zero ${suffix()}`, capacity: 0 } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const name = (await db.query('SELECT name FROM campus.rooms WHERE id = $1', [id])).rows[0].name;
    const taken = await asAdmin(CREATE_ROOM, { f: facility.id, input: { name } });
    expect(taken.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE' });
    expect(codes(await asAdmin(UPDATE_ROOM, { id: randomUUID(), input: { name: 'x' } }))).toEqual(['NOT_FOUND']);
    const elsewhere = await tenant.facility();
    expect(codes(await asAdmin(CREATE_ROOM, { f: elsewhere.id, input: { name: 'Mine now' } }))).toEqual(['NOT_FOUND']);
    const otherRoom = await newRoom(10, elsewhere);
    expect(codes(await asAdmin(UPDATE_ROOM, { id: otherRoom, input: { name: 'x' } }))).toEqual(['NOT_FOUND']);
  });

  it('two events in one room at once: CONFLICT ROOM_BOOKED naming the clash, the second event is not written; back to back is fine', async () => {
    const room = await newRoom();
    const [a, b] = await Promise.all([program.class(), program.class()]);
    const first = await asAdmin<{ createClassEvent: { id: string; bookedRoom: { id: string } } }>(EVENT, {
      c: a.id,
      input: { startsAt: MONDAY, durationMinutes: 60, recurrenceRule: WEEKLY, roomId: room },
    });
    expect(first.errors).toBeUndefined();
    expect(first.data!.createClassEvent.bookedRoom).toEqual({ id: room });
    const clash = await asAdmin(EVENT, { c: b.id, input: { startsAt: '2027-01-18T14:30:00Z', durationMinutes: 60, roomId: room } });
    expect(codes(clash)).toEqual(['CONFLICT']);
    expect(clash.errors![0]!.extensions).toMatchObject({
      reason: 'ROOM_BOOKED',
      roomId: room,
      clashes: [expect.objectContaining({ date: '2027-01-18', otherClassId: a.id, otherEventId: first.data!.createClassEvent.id })],
    });
    expect(await eventsOf(b.id)).toBe(0);
    const after = await asAdmin(EVENT, { c: b.id, input: { startsAt: '2027-01-18T15:00:00Z', durationMinutes: 30, roomId: room } });
    expect(after.errors).toBeUndefined();
    const schedule = await gql<{ room: { schedule: { date: string; class: { id: string } }[] } }>(
      SCHEDULE,
      { id: room, from: '2027-01-18T00:00:00Z', to: '2027-01-19T00:00:00Z' },
      { token: await token(staff) },
    );
    expect(schedule.errors).toBeUndefined();
    expect(schedule.data!.room.schedule.map((o) => o.class.id)).toEqual([a.id, b.id]);
    expect(codes(await gql(SCHEDULE, { id: room, ...WEEK }, { token: await token(resident) }))).toEqual(['FORBIDDEN']);
  });

  it('setEventRoom: refused into a booked, too small or another facility’s room; archiving a booked room is refused', async () => {
    const [booked, small] = await Promise.all([newRoom(), newRoom(5)]);
    const [a, b] = await Promise.all([program.class({ capacity: 10 }), program.class({ capacity: 10 })]);
    await asAdmin(EVENT, { c: a.id, input: { startsAt: MONDAY, durationMinutes: 60, recurrenceRule: WEEKLY, roomId: booked } });
    const e = await b.event({ startsAt: '2027-01-11T14:00:00Z', durationMinutes: 90 });
    const clash = await asAdmin(SET_ROOM, { e, r: booked });
    expect(clash.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ROOM_BOOKED' });
    const tooSmall = await asAdmin(SET_ROOM, { e, r: small });
    expect(tooSmall.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { roomId: 'too small for the class' } });
    const foreign = await newRoom(50, await tenant.facility());
    expect(codes(await asAdmin(SET_ROOM, { e, r: foreign }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(SET_ROOM, { e, r: small }, { token: await token(staff) }))).toEqual(['FORBIDDEN']);
    expect((await db.query('SELECT room_id FROM campus.program_class_events WHERE id = $1', [e])).rows[0].room_id).toBeNull();
    const big = await newRoom(40);
    expect((await asAdmin(SET_ROOM, { e, r: big })).data).toEqual({ setEventRoom: { id: e, bookedRoom: { id: big } } });
    const archive = await asAdmin(ARCHIVE_ROOM, { id: booked });
    expect(archive.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'IN_USE', dependents: { events: 1 } });
  });

  it('an instructor teaching two classes at once: CONFLICT INSTRUCTOR_BUSY for the assignment and for a new event, nothing written', async () => {
    const teacher = await facility.staff();
    const [a, b, c] = await Promise.all([program.class(), program.class(), program.class()]);
    await a.event({ startsAt: MONDAY, durationMinutes: 60, recurrenceRule: WEEKLY });
    await b.event({ startsAt: '2027-01-25T14:30:00Z', durationMinutes: 60 });
    expect((await asAdmin(ASSIGN, { c: a.id, u: teacher.id })).errors).toBeUndefined();
    const busy = await asAdmin(ASSIGN, { c: b.id, u: teacher.id });
    expect(busy.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'INSTRUCTOR_BUSY', userId: teacher.id });
    expect((await db.query('SELECT 1 FROM campus.class_instructors WHERE class_id = $1', [b.id])).rowCount).toBe(0);

    expect((await asAdmin(ASSIGN, { c: c.id, u: teacher.id })).errors).toBeUndefined();
    const clash = await asAdmin(EVENT, { c: c.id, input: { startsAt: '2027-02-01T14:00:00Z', durationMinutes: 30 } });
    expect(clash.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'INSTRUCTOR_BUSY' });
    expect(await eventsOf(c.id)).toBe(0);
  });
});

describe('facility closures (lockdown)', () => {
  it('cancels every occurrence of the day and lifts it again; an occurrence cancelled on its own stays cancelled', async () => {
    const f = await tenant.facility({ timezone: 'America/Chicago' });
    const p = await f.program();
    const [a, b] = await Promise.all([p.class(), p.class()]);
    const ea = await a.event({ startsAt: MONDAY, durationMinutes: 60, recurrenceRule: WEEKLY });
    const eb = await b.event({ startsAt: '2027-01-04T20:00:00Z', durationMinutes: 60, recurrenceRule: WEEKLY });
    await gql(CANCEL_ONE, { e: eb, d: '2027-01-04' }, { token: await sysadmin() });
    const localAdmin = await f.facilityAdmin();
    const closed = await gql<{ cancelFacilityDay: { occurrences: number; closure: { date: string; reason: string } } }>(
      CLOSE,
      { f: f.id, d: '2027-01-04', r: 'Lockdown' },
      { token: await token(localAdmin) },
    );
    expect(closed.errors).toBeUndefined();
    expect(closed.data!.cancelFacilityDay).toMatchObject({ occurrences: 1, closure: { date: '2027-01-04', reason: 'Lockdown' } });
    const occ = async (id: string) =>
      (
        await gql<{
          programClass: { occurrences: { date: string; cancelled: boolean; reason: string | null; closure: { reason: string } | null }[] };
        }>(OCCURRENCES, { id, ...WEEK }, { token: await sysadmin() })
      ).data!.programClass.occurrences;
    expect(await occ(a.id)).toEqual([{ date: '2027-01-04', cancelled: true, reason: 'Lockdown', closure: { reason: 'Lockdown' } }]);
    expect(await occ(b.id)).toEqual([{ date: '2027-01-04', cancelled: true, reason: 'instructor ill', closure: null }]);
    const twice = await gql(CLOSE, { f: f.id, d: '2027-01-04', r: 'Again' }, { token: await token(localAdmin) });
    expect(twice.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_IN_STATE' });

    const reopened = await gql(REOPEN, { f: f.id, d: '2027-01-04' }, { token: await token(localAdmin) });
    expect(reopened.data).toEqual({ uncancelFacilityDay: { occurrences: 1, closure: { liftedAt: expect.any(String) } } });
    expect(await occ(a.id)).toEqual([{ date: '2027-01-04', cancelled: false, reason: null, closure: null }]);
    expect((await occ(b.id))[0]!.cancelled).toBe(true);
    expect(ea).toBeTruthy();
  });

  it('staff and residents may not close a day; bad input and other tenants’ facilities change nothing', async () => {
    const f = await tenant.facility();
    const c = await (await f.program()).class();
    await c.event({ startsAt: MONDAY, durationMinutes: 60 });
    const [s, r] = await Promise.all([f.staff(), f.resident()]);
    for (const person of [s, r])
      expect(codes(await gql(CLOSE, { f: f.id, d: '2027-01-04', r: 'x' }, { token: await token(person) }))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(CLOSE, { f: f.id, d: '2027-01-04', r: '  ' }, { token: await sysadmin() }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(CLOSE, { f: f.id, d: '2027-13-40', r: 'x' }, { token: await sysadmin() }))).toEqual(['BAD_USER_INPUT']);
    const foreign = await (await seed.tenant()).facility();
    const dept = await tenant.departmentAdmin();
    expect(codes(await gql(CLOSE, { f: foreign.id, d: '2027-01-04', r: 'x' }, { token: await token(dept) }))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(REOPEN, { f: f.id, d: '2027-01-04' }, { token: await token(dept) }))).toEqual(['CONFLICT']);
    const rows = await db.query(
      'SELECT (SELECT count(*) FROM campus.facility_closures WHERE facility_id = ANY($1))::int AS closures, (SELECT count(*) FROM campus.program_class_event_overrides WHERE facility_id = ANY($1))::int AS overrides',
      [[f.id, foreign.id]],
    );
    expect(rows.rows[0]).toEqual({ closures: 0, overrides: 0 });
  });
});
