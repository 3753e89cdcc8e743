import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';
import { seed, type SeededFacility, type SeededPerson, type SeededProgram, type SeededTenant } from './support/seed.ts';

// Waitlists through the gateway (issue 14): a full class puts people on its waitlist, a freed seat
// goes to the next person (enrolled, or offered in Offer mode), exact under concurrency.
const ENROLL_OR_WAIT = `mutation($c: UUID!, $u: [UUID!]!) { enrollOrWaitlist(classId: $c, userIds: $u) {
  enrolled { id user { id } } waitlisted { id status position user { id } } } }`;
const WAITLIST = `query($id: UUID!) { programClass(id: $id) { activeEnrollmentCount waitlistCount
  waitlist(first: 100) { nodes { id status position user { id } } } } }`;
const CHANGE = `mutation($id: UUID!, $status: ClassEnrollmentStatus!, $reason: String) { changeEnrollmentStatus(id: $id, status: $status, reason: $reason) { status } }`;
const ENROLL = `mutation($c: UUID!, $u: [UUID!]!) { enrollResidents(classId: $c, userIds: $u) { id } }`;
const ACCEPT = `mutation($id: UUID!) { acceptSeatOffer(entryId: $id) { entry { status } enrollment { status user { id } } } }`;
const DECLINE = `mutation($id: UUID!) { declineSeatOffer(entryId: $id, reason: "not now") { entry { status } } }`;
const LEAVE = `mutation($id: UUID!) { leaveWaitlist(entryId: $id) { entry { status } promoted { user { id } } } }`;
const UPDATE = `mutation($id: UUID!, $input: UpdateProgramClassInput!) { updateProgramClass(id: $id, input: $input) { waitlistMode capacity } }`;
const MINE = `{ me { id waitlistEntries(first: 10) { nodes { id status position class { id } } } } }`;

type Waitlisted = { id: string; status: string; position: number | null; user: { id: string } };
type ClassView = { programClass: { activeEnrollmentCount: number; waitlistCount: number; waitlist: { nodes: Waitlisted[] } } };

let tenant: SeededTenant;
let facility: SeededFacility;
let program: SeededProgram;
let staff: SeededPerson;
let db: pg.Client;
const sysadmin = () => tokenFor(users.sysadmin.username);
const token = async (p: SeededPerson) => (await p.api()).accessToken;
const asAdmin = async <T = Record<string, unknown>>(query: string, variables: Record<string, unknown>) =>
  gql<T>(query, variables, { token: await sysadmin() });
const view = async (classId: string) => {
  const res = await asAdmin<ClassView>(WAITLIST, { id: classId });
  expect(res.errors).toBeUndefined();
  return res.data!.programClass;
};
const enrollmentOf = async (classId: string, userId: string) =>
  (
    await db.query(
      'SELECT id, enrollment_status::text AS status FROM campus.program_class_enrollments WHERE class_id = $1 AND user_id = $2',
      [classId, userId],
    )
  ).rows[0];
const counts = async (classId: string) =>
  (
    await db.query(
      `SELECT (SELECT count(*) FROM campus.program_class_enrollments WHERE class_id = $1 AND enrollment_status = 'Enrolled')::int AS enrolled,
              (SELECT count(*) FROM campus.class_waitlist WHERE class_id = $1)::int AS places`,
      [classId],
    )
  ).rows[0] as { enrolled: number; places: number };

beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
  tenant = await seed.tenant();
  facility = await tenant.facility();
  [program, staff] = await Promise.all([facility.program(), facility.staff()]);
});
afterAll(() => db.end());

describe('class waitlist', () => {
  it('50 concurrent enrollments into a class of 10: 10 enrolled, 40 waitlisted at positions 1..40, nobody twice', async () => {
    const c = await program.class({ capacity: 10 });
    const people = await seed.residentsAt(facility, 50);
    const results = await Promise.all(
      people.map((u) =>
        asAdmin<{ enrollOrWaitlist: { enrolled: unknown[]; waitlisted: Waitlisted[] } }>(ENROLL_OR_WAIT, { c: c.id, u: [u] }),
      ),
    );
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(results.filter((r) => r.data!.enrollOrWaitlist.enrolled.length === 1)).toHaveLength(10);
    const answered = results.flatMap((r) => r.data!.enrollOrWaitlist.waitlisted.map((w) => w.position));
    expect(answered.sort((a, b) => a! - b!)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

    const now = await view(c.id);
    expect(now.activeEnrollmentCount).toBe(10);
    expect(now.waitlistCount).toBe(40);
    expect(now.waitlist.nodes.map((n) => n.position)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const seen = [
      ...now.waitlist.nodes.map((n) => n.user.id),
      ...(await db.query('SELECT user_id FROM campus.program_class_enrollments WHERE class_id = $1', [c.id])).rows.map((r) => r.user_id),
    ];
    expect(new Set(seen).size).toBe(50);
    expect(await counts(c.id)).toEqual({ enrolled: 10, places: 40 });
  });

  it('a freed seat goes to the first person waiting; the others move up; the change log names it', async () => {
    const c = await program.class({ capacity: 1 });
    const [a, b, d] = (await seed.residentsAt(facility, 3)) as [string, string, string];
    await asAdmin(ENROLL_OR_WAIT, { c: c.id, u: [a, b, d] });
    const first = await enrollmentOf(c.id, a);
    const freed = await asAdmin(CHANGE, { id: first.id, status: 'Incomplete_Withdrawn', reason: 'moved' });
    expect(freed.errors).toBeUndefined();
    expect((await enrollmentOf(c.id, b)).status).toBe('Enrolled');
    const now = await view(c.id);
    expect(now.waitlist.nodes).toEqual([expect.objectContaining({ user: { id: d }, position: 1, status: 'Waiting' })]);
    const log = await db.query(
      `SELECT reason FROM campus.class_changes WHERE class_id = $1 AND action = 'enrollment.created' ORDER BY created_at`,
      [c.id],
    );
    expect(log.rows.map((r) => r.reason)).toEqual([null, 'seat freed: next on the waitlist']);
    // More seats: everyone waiting gets one.
    await asAdmin(UPDATE, { id: c.id, input: { capacity: 5 } });
    expect((await enrollmentOf(c.id, d)).status).toBe('Enrolled');
    expect((await view(c.id)).waitlistCount).toBe(0);
  });

  it('Offer mode: the seat is held for the next person, who sees their place and accepts; a manual enrollment cannot take the held seat', async () => {
    const c = await program.class({ capacity: 1 });
    expect((await asAdmin(UPDATE, { id: c.id, input: { waitlistMode: 'Offer' } })).data).toEqual({
      updateProgramClass: { waitlistMode: 'Offer', capacity: 1 },
    });
    const [holder, first, second] = await Promise.all([facility.resident(), facility.resident(), facility.resident()]);
    await asAdmin(ENROLL_OR_WAIT, { c: c.id, u: [holder.id, first.id, second.id] });

    const mine = await gql<{
      me: { waitlistEntries: { nodes: { id: string; status: string; position: number; class: { id: string } }[] } };
    }>(MINE, {}, { token: await token(second) });
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.me.waitlistEntries.nodes).toEqual([expect.objectContaining({ status: 'Waiting', position: 2, class: { id: c.id } })]);
    const others = await view(c.id);
    const firstPlace = others.waitlist.nodes.find((n) => n.user.id === first.id)!;
    // A resident sees no one else's place.
    expect(
      (await gql(`query($id: UUID!) { waitlistEntry(id: $id) { id } }`, { id: firstPlace.id }, { token: await token(second) })).data,
    ).toEqual({ waitlistEntry: null });

    await asAdmin(CHANGE, { id: (await enrollmentOf(c.id, holder.id)).id, status: 'Incomplete_Dropped', reason: 'left' });
    expect((await view(c.id)).waitlist.nodes.map((n) => [n.user.id, n.status, n.position])).toEqual([
      [first.id, 'Offered', null],
      [second.id, 'Waiting', 1],
    ]);
    const manual = await asAdmin(ENROLL, { c: c.id, u: await seed.residentsAt(facility, 1) });
    expect(manual.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'CLASS_FULL', seatsLeft: 0 });
    // Someone else cannot take the offer made to `first`.
    expect(codes(await gql(ACCEPT, { id: firstPlace.id }, { token: await token(second) }))).toEqual(['NOT_FOUND']);
    const accepted = await gql(ACCEPT, { id: firstPlace.id }, { token: await token(first) });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data).toEqual({
      acceptSeatOffer: { entry: { status: 'Enrolled' }, enrollment: { status: 'Enrolled', user: { id: first.id } } },
    });
    const twice = await gql(ACCEPT, { id: firstPlace.id }, { token: await token(first) });
    expect(twice.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_TRANSITION' });
  });

  it('declining an offer passes the seat on; leaving the list closes the place', async () => {
    const c = await program.class({ capacity: 1 });
    await asAdmin(UPDATE, { id: c.id, input: { waitlistMode: 'Offer' } });
    const [holder, first, second, third] = (await seed.residentsAt(facility, 4)) as [string, string, string, string];
    await asAdmin(ENROLL_OR_WAIT, { c: c.id, u: [holder, first, second, third] });
    await asAdmin(CHANGE, { id: (await enrollmentOf(c.id, holder)).id, status: 'Cancelled', reason: 'schedule' });
    const places = (await view(c.id)).waitlist.nodes;
    expect((await asAdmin(DECLINE, { id: places[0]!.id })).data).toEqual({ declineSeatOffer: { entry: { status: 'Declined' } } });
    expect((await view(c.id)).waitlist.nodes.map((n) => [n.user.id, n.status])).toEqual([
      [second, 'Offered'],
      [third, 'Waiting'],
    ]);
    expect((await asAdmin(LEAVE, { id: places[2]!.id })).data).toEqual({ leaveWaitlist: { entry: { status: 'Withdrawn' }, promoted: [] } });
    const declineWaiting = await asAdmin(DECLINE, { id: places[2]!.id });
    expect(declineWaiting.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_TRANSITION' });
  });

  it('staff and residents may not enroll; staff may not close others’ places; bad and unknown ids and people already waiting change nothing', async () => {
    const c = await program.class({ capacity: 1 });
    const resident = await facility.resident();
    await asAdmin(ENROLL_OR_WAIT, { c: c.id, u: [...(await seed.residentsAt(facility, 1)), resident.id] });
    const before = await counts(c.id);
    for (const person of [staff, resident]) {
      const res = await gql(ENROLL_OR_WAIT, { c: c.id, u: [randomUUID()] }, { token: await token(person) });
      expect(codes(res)).toEqual(['FORBIDDEN']);
    }
    const place = (await view(c.id)).waitlist.nodes[0]!;
    expect(codes(await gql(LEAVE, { id: place.id }, { token: await token(staff) }))).toEqual(['FORBIDDEN']);
    const stranger = await facility.resident();
    expect(codes(await gql(LEAVE, { id: place.id }, { token: await token(stranger) }))).toEqual(['NOT_FOUND']);

    expect(codes(await asAdmin(ENROLL_OR_WAIT, { c: c.id, u: [] }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await asAdmin(ENROLL_OR_WAIT, { c: 'not-an-id', u: [randomUUID()] }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await asAdmin(ENROLL_OR_WAIT, { c: c.id, u: ['nope'] }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await asAdmin(ENROLL_OR_WAIT, { c: randomUUID(), u: [randomUUID()] }))).toEqual(['NOT_FOUND']);
    const foreign = await (await (await seed.tenant()).facility()).program().then((p) => p.class());
    const dept = await tenant.departmentAdmin();
    expect(codes(await gql(ENROLL_OR_WAIT, { c: foreign.id, u: [randomUUID()] }, { token: await token(dept) }))).toEqual(['NOT_FOUND']);
    const unknownPerson = await asAdmin(ENROLL_OR_WAIT, { c: c.id, u: [randomUUID()] });
    expect(codes(unknownPerson)).toEqual(['NOT_FOUND']);
    const already = await asAdmin(ENROLL_OR_WAIT, { c: c.id, u: [...(await seed.residentsAt(facility, 1)), resident.id] });
    expect(already.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_ENROLLED', userIds: [resident.id] });
    expect(await counts(c.id)).toEqual(before);
  });

  it('a waitlist promotion racing a manual enrollment: the seat goes to the person waiting, never overfilled', async () => {
    for (let round = 0; round < 5; round++) {
      const c = await program.class({ capacity: 2 });
      const [a, b, waiting, manual] = (await seed.residentsAt(facility, 4)) as [string, string, string, string];
      await asAdmin(ENROLL_OR_WAIT, { c: c.id, u: [a, b, waiting] });
      const [freed, enrolled] = await Promise.all([
        asAdmin(CHANGE, { id: (await enrollmentOf(c.id, a)).id, status: 'Incomplete_Withdrawn', reason: 'race' }),
        asAdmin(ENROLL, { c: c.id, u: [manual] }),
      ]);
      expect(freed.errors).toBeUndefined();
      // Whichever runs first, the freed seat goes to the person waiting: before the withdrawal the class
      // is full, after it the promotion (in the withdrawal's own transaction) has taken the seat.
      expect(enrolled.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'CLASS_FULL' });
      expect((await enrollmentOf(c.id, waiting))?.status).toBe('Enrolled');
      expect(await enrollmentOf(c.id, manual)).toBeUndefined();
      expect((await counts(c.id)).enrolled).toBe(2);
    }
  });
});
