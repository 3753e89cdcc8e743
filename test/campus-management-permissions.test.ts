import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';
import { seed, type SeededPerson } from './support/seed.ts';

// Every management mutation of issue 14, refused for two roles that may not make it, on real rows
// of the caller's own facility, and nothing of the tenant changes.
let db: pg.Client;
let tenantId: string;
let who: Record<'facilityAdmin' | 'staff' | 'resident' | 'otherResident', SeededPerson>;
let ids: { facility: string; program: string; room: string; event: string; entry: string; classId: string };

const tally = async () =>
  (
    await db.query(
      `SELECT (SELECT count(*) FROM campus.catalog_changes WHERE tenant_id = $1)::int AS catalog,
              (SELECT count(*) FROM campus.class_changes WHERE tenant_id = $1)::int AS classes,
              (SELECT count(*) FROM campus.facilities WHERE tenant_id = $1)::int AS facilities,
              (SELECT count(*) FROM campus.programs WHERE tenant_id = $1)::int AS programs,
              (SELECT count(*) FROM campus.rooms WHERE tenant_id = $1)::int AS rooms,
              (SELECT count(*) FROM campus.facility_closures WHERE tenant_id = $1)::int AS closures,
              (SELECT string_agg(status::text, ',') FROM campus.class_waitlist WHERE tenant_id = $1) AS waitlist,
              (SELECT count(*) FROM campus.program_class_enrollments WHERE tenant_id = $1)::int AS enrollments`,
      [tenantId],
    )
  ).rows[0];

beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
  const t = await seed.tenant();
  tenantId = t.id;
  const f = await t.facility();
  const [facilityAdmin, staff, resident, otherResident] = await Promise.all([f.facilityAdmin(), f.staff(), f.resident(), f.resident()]);
  who = { facilityAdmin, staff, resident, otherResident };
  const program = await f.program();
  const c = await program.class({ capacity: 1 });
  const sys = { token: await tokenFor(users.sysadmin.username) };
  const [holder] = await seed.residentsAt(f, 1);
  await gql(
    `mutation($c: UUID!, $u: [UUID!]!) { enrollOrWaitlist(classId: $c, userIds: $u) { enrolled { id } } }`,
    { c: c.id, u: [holder, resident.id] },
    sys,
  );
  const entry = (await db.query('SELECT id FROM campus.class_waitlist WHERE class_id = $1', [c.id])).rows[0].id;
  const room = await gql<{ createRoom: { roomId: string } }>(
    `mutation($f: UUID!) { createRoom(facilityId: $f, input: { name: "Gym" }) { roomId } }`,
    { f: f.id },
    sys,
  );
  const event = await c.event({ startsAt: '2027-01-04T14:00:00Z', durationMinutes: 60 });
  ids = { facility: f.id, program: program.id, room: room.data!.createRoom.roomId, event, entry, classId: c.id };
});
afterAll(() => db.end());

type Case = [name: string, query: string, vars: () => Record<string, unknown>, deniedTo: (keyof typeof who)[], code?: string];
const CASES: Case[] = [
  [
    'createFacility',
    `mutation { createFacility(input: { name: "Nope", timezone: "UTC" }) { facilityId } }`,
    () => ({}),
    ['facilityAdmin', 'staff'],
  ],
  [
    'updateFacility',
    `mutation($id: UUID!) { updateFacility(id: $id, input: { name: "Nope" }) { facilityId } }`,
    () => ({ id: ids.facility }),
    ['facilityAdmin', 'staff'],
  ],
  [
    'archiveFacility',
    `mutation($id: UUID!) { archiveFacility(id: $id) { facilityId } }`,
    () => ({ id: ids.facility }),
    ['facilityAdmin', 'resident'],
  ],
  [
    'reactivateFacility',
    `mutation($id: UUID!) { reactivateFacility(id: $id) { facilityId } }`,
    () => ({ id: ids.facility }),
    ['facilityAdmin', 'staff'],
  ],
  ['createProgram', `mutation { createProgram(input: { name: "Nope" }) { programId } }`, () => ({}), ['facilityAdmin', 'staff']],
  [
    'updateProgram',
    `mutation($id: UUID!) { updateProgram(id: $id, input: { name: "Nope" }) { programId } }`,
    () => ({ id: ids.program }),
    ['facilityAdmin', 'staff'],
  ],
  [
    'archiveProgram',
    `mutation($id: UUID!) { archiveProgram(id: $id) { programId } }`,
    () => ({ id: ids.program }),
    ['facilityAdmin', 'resident'],
  ],
  [
    'reactivateProgram',
    `mutation($id: UUID!) { reactivateProgram(id: $id) { programId } }`,
    () => ({ id: ids.program }),
    ['facilityAdmin', 'staff'],
  ],
  [
    'deleteProgram',
    `mutation($id: UUID!) { deleteProgram(id: $id) { deletedProgramId } }`,
    () => ({ id: ids.program }),
    ['facilityAdmin', 'staff'],
  ],
  [
    'setProgramOffered',
    `mutation($p: UUID!, $f: UUID!) { setProgramOffered(programId: $p, facilityId: $f, offered: false) { programId } }`,
    () => ({ p: ids.program, f: ids.facility }),
    ['staff', 'resident'],
  ],
  [
    'enrollOrWaitlist',
    `mutation($c: UUID!, $u: [UUID!]!) { enrollOrWaitlist(classId: $c, userIds: $u) { enrolled { id } } }`,
    () => ({ c: ids.classId, u: [who.otherResident.id] }),
    ['staff', 'resident'],
  ],
  ['leaveWaitlist', `mutation($id: UUID!) { leaveWaitlist(entryId: $id) { entry { id } } }`, () => ({ id: ids.entry }), ['staff']],
  [
    'leaveWaitlist (someone else’s place)',
    `mutation($id: UUID!) { leaveWaitlist(entryId: $id) { entry { id } } }`,
    () => ({ id: ids.entry }),
    ['otherResident'],
    'NOT_FOUND',
  ],
  ['acceptSeatOffer', `mutation($id: UUID!) { acceptSeatOffer(entryId: $id) { entry { id } } }`, () => ({ id: ids.entry }), ['staff']],
  [
    'acceptSeatOffer (someone else’s place)',
    `mutation($id: UUID!) { acceptSeatOffer(entryId: $id) { entry { id } } }`,
    () => ({ id: ids.entry }),
    ['otherResident'],
    'NOT_FOUND',
  ],
  ['declineSeatOffer', `mutation($id: UUID!) { declineSeatOffer(entryId: $id) { entry { id } } }`, () => ({ id: ids.entry }), ['staff']],
  [
    'declineSeatOffer (someone else’s place)',
    `mutation($id: UUID!) { declineSeatOffer(entryId: $id) { entry { id } } }`,
    () => ({ id: ids.entry }),
    ['otherResident'],
    'NOT_FOUND',
  ],
  [
    'createRoom',
    `mutation($f: UUID!) { createRoom(facilityId: $f, input: { name: "Nope" }) { roomId } }`,
    () => ({ f: ids.facility }),
    ['staff', 'resident'],
  ],
  [
    'updateRoom',
    `mutation($id: UUID!) { updateRoom(id: $id, input: { name: "Nope" }) { roomId } }`,
    () => ({ id: ids.room }),
    ['staff', 'resident'],
  ],
  ['archiveRoom', `mutation($id: UUID!) { archiveRoom(id: $id) { roomId } }`, () => ({ id: ids.room }), ['staff', 'resident']],
  [
    'setEventRoom',
    `mutation($e: UUID!, $r: UUID) { setEventRoom(eventId: $e, roomId: $r) { id } }`,
    () => ({ e: ids.event, r: ids.room }),
    ['staff', 'resident'],
  ],
  [
    'cancelFacilityDay',
    `mutation($f: UUID!) { cancelFacilityDay(facilityId: $f, date: "2027-01-04", reason: "x") { occurrences } }`,
    () => ({ f: ids.facility }),
    ['staff', 'resident'],
  ],
  [
    'uncancelFacilityDay',
    `mutation($f: UUID!) { uncancelFacilityDay(facilityId: $f, date: "2027-01-04") { occurrences } }`,
    () => ({ f: ids.facility }),
    ['staff', 'resident'],
  ],
];

describe('management mutations refused to roles that may not make them', () => {
  it.each(CASES)('%s', async (_name, query, vars, deniedTo, code = 'FORBIDDEN') => {
    const before = await tally();
    for (const role of deniedTo) {
      const res = await gql(query, vars(), { token: (await who[role].api()).accessToken });
      expect(codes(res), `${role}`).toEqual([code]);
      expect(Object.values(res.data ?? {})).toEqual([null]);
    }
    expect(await tally()).toEqual(before);
  });

  it('the refused place is still waiting, the seat still taken', async () => {
    const rows = await db.query('SELECT status::text AS s FROM campus.class_waitlist WHERE id = $1', [ids.entry]);
    expect(rows.rows).toEqual([{ s: 'Waiting' }]);
  });
});
