import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { IDENTITY_HEADER, LOOKUP_PATH, signIdentity } from '@pathway/kit';
import { codes, gql } from './support/client.ts';
import { deadPort, startGateway, startSubgraph, subgraphEnv, type Service } from './support/processes.ts';
import { eventually } from './support/webhook-receiver.ts';
import { seed, type SeededFacility, type SeededPerson, type SignedIn } from './support/seed.ts';

// Reservations through the gateway: request, confirm, decline, cancel, expire (the job), who may do
// and see what, bad input, and the database's guarantee that two active reservations of one
// listing never overlap, also under 50 concurrent requests. Staff see the reservations of the
// residents in their caseload (behavior's), not their whole facility's.

const RES = `reservationId status reservation { id status startsAt endsAt depositAmount depositCurrency holdExpiresAt user { id } property { id } }`;
const REQUEST = `mutation($input: RequestReservationInput!) { requestReservation(input: $input) { ${RES} } }`;
const CONFIRM = `mutation($id: UUID!) { confirmReservation(id: $id) { ${RES} } }`;
const DECLINE = `mutation($id: UUID!, $reason: String) { declineReservation(id: $id, reason: $reason) { ${RES} } }`;
const CANCEL = `mutation($id: UUID!, $reason: String) { cancelReservation(id: $id, reason: $reason) { ${RES} } }`;
const READ = `query($id: UUID!) { reservation(id: $id) { id status activity { nodes { activityType actor { id } before after reason } } } }`;
const OF_LISTING = `query($id: UUID!) { property(id: $id) { reservations(first: 100) { nodes { id status } } } }`;
const LIST = `{ reservations(first: 100) { nodes { id user { id } } } }`;
const CREATE_STUDENT = `mutation($input: CreateStudentInput!) { createStudent(input: $input) { studentId } }`;
const ASSIGN = `mutation($s: UUID!, $staff: UUID!) { assignToCaseload(studentId: $s, staffId: $staff) { studentId } }`;
const REMOVE = `mutation($s: UUID!, $staff: UUID!) { removeFromCaseload(studentId: $s, staffId: $staff) { removed } }`;

const DAY = 24 * 3600 * 1000;
/** Midnight UTC, 30 days from now: every period of this file is in the future. */
const BASE = Math.ceil(Date.now() / DAY) * DAY + 30 * DAY;
const day = (n: number) => new Date(BASE + n * DAY).toISOString();

type Res = { id: string; status: string; depositAmount: string | null; depositCurrency: string | null; holdExpiresAt: string };
type Change = { reservationId: string; status: string; reservation: Res | null };
const changeOf = (res: { data?: Record<string, unknown> | null }) => Object.values(res.data ?? {})[0] as Change | null;

let owner: SignedIn, resident: SignedIn, other: SignedIn, staff: SignedIn, farStaff: SignedIn, admin: SignedIn, outsider: SignedIn;
/** Staff of the resident's facility without them in their caseload. */
let colleague: SignedIn;
let residentPerson: SeededPerson, staffPerson: SeededPerson, colleaguePerson: SeededPerson, otherPerson: SeededPerson;
let facility: SeededFacility;
let db: pg.Client;

/** Makes `person` a student of the admin's facility (behavior) in `staffId`'s caseload; returns the student's id. */
async function inCaseload(person: SeededPerson, staffId: string): Promise<string> {
  const made = await admin.gql<{ createStudent: { studentId: string } }>(CREATE_STUDENT, {
    input: {
      studentNumber: `R-${person.id.slice(0, 8)}`,
      firstName: person.firstName,
      lastName: person.lastName,
      gradeLevel: '12',
      userId: person.id,
    },
  });
  if (made.errors) throw new Error(JSON.stringify(made.errors));
  const studentId = made.data!.createStudent.studentId;
  const assigned = await admin.gql(ASSIGN, { s: studentId, staff: staffId });
  if (assigned.errors) throw new Error(JSON.stringify(assigned.errors));
  return studentId;
}
const listed = async (who: SignedIn) => {
  const res = await who.gql<{ reservations: { nodes: { id: string; user: { id: string } }[] } }>(LIST);
  expect(res.errors).toBeUndefined();
  return res.data!.reservations.nodes.map((n) => n.id);
};

async function listing(over: Record<string, unknown> = {}) {
  const res = await owner.gql<{ createProperty: { propertyId: string } }>(
    'mutation($input: CreatePropertyInput!) { createProperty(input: $input) { propertyId } }',
    { input: { propertyType: 'apartment', address: { line1: '9 Hold St', city: 'Chicago', country: 'US' }, price: '700.00', ...over } },
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.createProperty.propertyId;
}
const request = (who: SignedIn, propertyId: string, from: number, to: number, extra: Record<string, unknown> = {}) =>
  who.gql(REQUEST, { input: { propertyId, startsAt: day(from), endsAt: day(to), ...extra } });
async function requested(who: SignedIn, propertyId: string, from: number, to: number, extra: Record<string, unknown> = {}) {
  const res = await request(who, propertyId, from, to, extra);
  expect(res.errors).toBeUndefined();
  return changeOf(res)!.reservation!;
}
const statusesOf = async (propertyId: string) =>
  (await owner.gql<{ property: { reservations: { nodes: { id: string; status: string }[] } } }>(OF_LISTING, { id: propertyId })).data!
    .property.reservations.nodes;

beforeAll(async () => {
  const t = await seed.tenant();
  const o = await seed.tenant();
  const [f, far, of] = await Promise.all([t.facility(), t.facility(), o.facility()]);
  facility = f;
  [residentPerson, staffPerson, colleaguePerson, otherPerson] = await Promise.all([f.resident(), f.staff(), f.staff(), f.resident()]);
  [owner, resident, other, staff, colleague, farStaff, admin, outsider] = await Promise.all([
    t.person('partner', f.id).then((p) => p.api()),
    residentPerson.api(),
    otherPerson.api(),
    staffPerson.api(),
    colleaguePerson.api(),
    far.staff().then((p) => p.api()),
    f.facilityAdmin().then((p) => p.api()),
    of.facilityAdmin().then((p) => p.api()),
  ]);
  // The resident is in staff's caseload (behavior); `other`, of the same facility, in nobody's.
  await inCaseload(residentPerson, staffPerson.id);
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
}, 120_000);
afterAll(() => db.end());

describe('requestReservation', () => {
  it('holds the period for the resident, with a deposit in the listing’s currency; seen by them, the owner, their case manager and admin', async () => {
    const propertyId = await listing({ currency: 'CAD' });
    const r = await requested(resident, propertyId, 0, 10, { depositAmount: '150.5', notes: 'moving in after release' });
    expect(r).toMatchObject({ status: 'pending', depositAmount: '150.50', depositCurrency: 'CAD', user: { id: residentPerson.id } });
    expect(new Date(r.holdExpiresAt).getTime()).toBeGreaterThan(Date.now() + 47 * 3600_000);
    expect(await statusesOf(propertyId)).toEqual([{ id: r.id, status: 'pending' }]);
    for (const who of [resident, staff, admin])
      expect((await who.gql<{ reservation: { id: string } | null }>(READ, { id: r.id })).data!.reservation?.id).toBe(r.id);
    for (const who of [other, colleague, farStaff, outsider])
      expect((await who.gql<{ reservation: unknown }>(READ, { id: r.id })).data!.reservation).toBeNull();
    const mine = await resident.gql<{ me: { reservations: { nodes: { id: string }[] } } }>('{ me { reservations { nodes { id } } } }');
    expect(mine.data!.me.reservations.nodes).toEqual([{ id: r.id }]);
  });

  it('refuses staff and partners (FORBIDDEN); nothing is reserved', async () => {
    const propertyId = await listing();
    for (const who of [staff, owner]) expect(codes(await request(who, propertyId, 0, 3))).toEqual(['FORBIDDEN']);
    expect(await statusesOf(propertyId)).toEqual([]);
  });

  it('refuses bad periods and deposits (BAD_USER_INPUT), unknown and other tenants’ listings (NOT_FOUND), unlisted ones; nothing is reserved', async () => {
    const propertyId = await listing();
    const past = new Date(Date.now() - DAY).toISOString();
    for (const input of [
      { startsAt: day(5), endsAt: day(4) },
      { startsAt: day(5), endsAt: day(5) },
      { startsAt: past, endsAt: day(1) },
      { startsAt: day(1), endsAt: day(900) },
      { startsAt: day(1), endsAt: day(2), depositAmount: '-1.00' },
      { startsAt: day(1), endsAt: day(2), depositAmount: '1.001' },
      { startsAt: day(1), endsAt: day(2), depositAmount: '1.00', depositCurrency: 'usd' },
      { startsAt: day(1), endsAt: day(2), depositAmount: 12 },
      { startsAt: 'tomorrow', endsAt: day(2) },
    ])
      expect(codes(await resident.gql(REQUEST, { input: { propertyId, ...input } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await request(resident, 'nope', 1, 2))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await request(resident, '00000000-0000-4000-8000-000000000000', 1, 2))).toEqual(['NOT_FOUND']);
    const foreign = await outsider.gql<{ createProperty: { propertyId: string } }>(
      'mutation($input: CreatePropertyInput!) { createProperty(input: $input) { propertyId } }',
      { input: { propertyType: 'house', address: { line1: '1 Far Rd', city: 'Elsewhere', country: 'US' }, price: '1.00' } },
    );
    expect(codes(await request(resident, foreign.data!.createProperty.propertyId, 1, 2))).toEqual(['NOT_FOUND']);
    await owner.gql('mutation($id: UUID!) { unlistProperty(id: $id) { status } }', { id: propertyId });
    expect(codes(await request(resident, propertyId, 1, 2))).toEqual(['NOT_FOUND']);
    expect(await statusesOf(propertyId)).toEqual([]);
  });

  it('refuses an overlapping period (CONFLICT RESERVATION_OVERLAP) but takes one that starts when the other ends', async () => {
    const propertyId = await listing();
    await requested(resident, propertyId, 0, 10);
    for (const [from, to] of [
      [5, 15],
      [-5, 1],
      [2, 3],
    ]) {
      const res = await request(other, propertyId, from!, to!);
      expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.reason])).toEqual([['CONFLICT', 'RESERVATION_OVERLAP']]);
    }
    await requested(other, propertyId, 10, 12);
    expect((await statusesOf(propertyId)).map((r) => r.status)).toEqual(['pending', 'pending']);
  });
});

describe('confirm, decline, cancel', () => {
  it('lets the owner confirm, the person cancel, and then frees the period; each step is in the activity log', async () => {
    const propertyId = await listing();
    const r = await requested(resident, propertyId, 0, 5);
    expect(changeOf(await owner.gql(CONFIRM, { id: r.id }))!.status).toBe('confirmed');
    const again = await owner.gql(CONFIRM, { id: r.id });
    expect(again.errors?.map((e) => e.extensions?.reason)).toEqual(['ALREADY_IN_STATE']);
    const decline = await admin.gql(DECLINE, { id: r.id });
    expect(decline.errors?.[0]?.extensions).toMatchObject({ reason: 'INVALID_TRANSITION', from: 'confirmed', allowed: ['cancelled'] });
    expect(changeOf(await resident.gql(CANCEL, { id: r.id, reason: 'found a place with family' }))!.status).toBe('cancelled');
    await requested(other, propertyId, 0, 5);
    const log = (
      await resident.gql<{ reservation: { activity: { nodes: { activityType: string; reason: string | null }[] } } }>(READ, { id: r.id })
    ).data!.reservation.activity.nodes;
    expect(log.map((l) => [l.activityType, l.reason])).toEqual([
      ['reservation.cancelled', 'found a place with family'],
      ['reservation.confirmed', null],
      ['reservation.requested', null],
    ]);
  });

  it('lets a listing manager decline', async () => {
    const propertyId = await listing();
    const r = await requested(resident, propertyId, 0, 5);
    expect(changeOf(await admin.gql(DECLINE, { id: r.id, reason: 'under repair' }))!.status).toBe('declined');
  });

  it('refuses the requester and staff answering a request (FORBIDDEN), others (NOT_FOUND), bad ids; nothing changes', async () => {
    const propertyId = await listing();
    const r = await requested(resident, propertyId, 0, 5);
    for (const mutation of [CONFIRM, DECLINE])
      for (const who of [resident, staff]) expect(codes(await who.gql(mutation, { id: r.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await staff.gql(CANCEL, { id: r.id }))).toEqual(['FORBIDDEN']);
    for (const mutation of [CONFIRM, DECLINE, CANCEL]) {
      for (const who of [other, colleague, outsider]) expect(codes(await who.gql(mutation, { id: r.id }))).toEqual(['NOT_FOUND']);
      expect(codes(await owner.gql(mutation, { id: 'nope' }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await owner.gql(mutation, { id: '00000000-0000-4000-8000-000000000000' }))).toEqual(['NOT_FOUND']);
    }
    expect(codes(await owner.gql(DECLINE, { id: r.id, reason: 'x'.repeat(1001) }))).toEqual(['BAD_USER_INPUT']);
    expect(await statusesOf(propertyId)).toEqual([{ id: r.id, status: 'pending' }]);
  });
});

describe('staff see their caseload’s reservations', () => {
  it('a case manager lists their caseload resident’s reservation, not a same-facility resident’s outside it; residents only their own', async () => {
    const propertyId = await listing();
    const ofCaseload = await requested(resident, propertyId, 0, 2);
    const notOfCaseload = await requested(other, propertyId, 2, 4);
    const staffList = await listed(staff);
    expect(staffList).toContain(ofCaseload.id);
    expect(staffList).not.toContain(notOfCaseload.id);
    expect((await staff.gql<{ reservation: unknown }>(READ, { id: notOfCaseload.id })).data!.reservation).toBeNull();
    const colleagueList = await listed(colleague);
    expect(colleagueList.filter((id) => [ofCaseload.id, notOfCaseload.id].includes(id))).toEqual([]);
    const residentList = await resident.gql<{ reservations: { nodes: { id: string; user: { id: string } }[] } }>(LIST);
    expect(new Set(residentList.data!.reservations.nodes.map((n) => n.user.id))).toEqual(new Set([residentPerson.id]));
    expect(residentList.data!.reservations.nodes.map((n) => n.id)).toContain(ofCaseload.id);
    // Administrators keep their reach.
    expect(await listed(admin)).toEqual(expect.arrayContaining([ofCaseload.id, notOfCaseload.id]));
  });

  it('drops the reservation from the staff member’s list when the resident leaves their caseload', async () => {
    const moverPerson = await facility.resident();
    const mover = await moverPerson.api();
    const studentId = await inCaseload(moverPerson, staffPerson.id);
    const r = await requested(mover, await listing(), 0, 3);
    expect(await listed(staff)).toContain(r.id);
    const removed = await admin.gql<{ removeFromCaseload: { removed: boolean } }>(REMOVE, { s: studentId, staff: staffPerson.id });
    expect(removed.data?.removeFromCaseload.removed).toBe(true);
    expect(await listed(staff)).not.toContain(r.id);
    expect((await staff.gql<{ reservation: unknown }>(READ, { id: r.id })).data!.reservation).toBeNull();
    expect(await listed(mover)).toEqual([r.id]);
  });

  it('behavior tells a caller only their own caseload; an administrator those of their staff (its internal lookup)', async () => {
    const ask = async (who: SeededPerson, roles: ('staff' | 'facility_admin')[], ids: string[]) => {
      const identity = {
        userId: who.id,
        tenantId: who.tenantId,
        facilityId: who.facilityId,
        roles,
        permissions: ['behavior.student.read'],
      };
      const header = await signIdentity(identity, inject('secrets').INTERNAL_JWT_SECRET);
      const response = await fetch(`${inject('subgraphUrls').behavior!.replace(/\/graphql$/, '')}${LOOKUP_PATH}/caseloads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: header },
        body: JSON.stringify({ ids }),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { id: string; residentIds: string[] }[];
    };
    const both = [staffPerson.id, colleaguePerson.id];
    const own = await ask(staffPerson, ['staff'], both);
    expect(own.map((c) => c.id)).toEqual([staffPerson.id]);
    expect(own[0]!.residentIds).toContain(residentPerson.id);
    expect(await ask(colleaguePerson, ['staff'], [staffPerson.id])).toEqual([]);
    expect(await ask(colleaguePerson, ['staff'], [colleaguePerson.id])).toEqual([{ id: colleaguePerson.id, residentIds: [] }]);
    const adminPerson = await facility.facilityAdmin();
    const seen = await ask(adminPerson, ['facility_admin'], both);
    expect(seen.find((c) => c.id === staffPerson.id)?.residentIds).toContain(residentPerson.id);
    expect(seen.find((c) => c.id === colleaguePerson.id)?.residentIds).toEqual([]);
  });
});

describe('when behavior cannot be asked', () => {
  const started: Service[] = [];
  let gatewayUrl: string;
  beforeAll(async () => {
    const market = await startSubgraph('market', { BEHAVIOR_URL: `http://127.0.0.1:${await deadPort()}/graphql` });
    started.push(market);
    const gateway = await startGateway(subgraphEnv({ market: market.url }));
    started.push(gateway);
    gatewayUrl = gateway.url;
  }, 120_000);
  afterAll(() => Promise.all(started.map((s) => s.stop())));

  it('staff reads are SERVICE_UNAVAILABLE naming behavior, never a wider or quietly narrowed list; residents and administrators are not asked', async () => {
    const r = await requested(resident, await listing(), 0, 2);
    const down = await gql<{ reservations: unknown }>(LIST, {}, { token: staff.accessToken, url: gatewayUrl });
    expect(down.data?.reservations ?? null).toBeNull();
    expect(down.errors).toMatchObject([
      { path: ['reservations'], extensions: { code: 'SERVICE_UNAVAILABLE', unavailableService: 'behavior', retryAfterSeconds: 2 } },
    ]);
    expect(codes(await gql(READ, { id: r.id }, { token: staff.accessToken, url: gatewayUrl }))).toEqual(['SERVICE_UNAVAILABLE']);
    for (const who of [resident, admin]) {
      const res = await gql<{ reservations: { nodes: { id: string }[] } }>(LIST, {}, { token: who.accessToken, url: gatewayUrl });
      expect(res.errors).toBeUndefined();
      expect(res.data!.reservations.nodes.map((n) => n.id)).toContain(r.id);
    }
  });
});

describe('expiry', () => {
  it('lapses a pending hold past its time: a new request takes the period at once, and the job records the expiry', async () => {
    const propertyId = await listing();
    const quiet = await listing(); // nobody requests it again: only the job can lapse its hold
    const first = await requested(resident, propertyId, 0, 5);
    const second = await requested(resident, quiet, 0, 5);
    await db.query(`UPDATE market.property_reservations SET hold_expires_at = now() - interval '1 minute' WHERE id = ANY($1::uuid[])`, [
      [first.id, second.id],
    ]);
    // The request lapses the hold it overlaps itself, in its own transaction.
    await requested(other, propertyId, 0, 5);
    // The job (every 15 s) lapses the other one.
    const expired = await eventually(
      async () => {
        const log = (
          await resident.gql<{ reservation: { status: string; activity: { nodes: { activityType: string; actor: { id: string } }[] } } }>(
            READ,
            { id: second.id },
          )
        ).data!.reservation;
        return log.status === 'expired' && log;
      },
      'the expiry job',
      40_000,
    );
    expect(expired.activity.nodes[0]).toMatchObject({
      activityType: 'reservation.expired',
      actor: { id: '00000000-0000-0000-0000-000000000000' },
    });
    expect(Object.fromEntries((await statusesOf(propertyId)).map((r) => [r.id, r.status]))).toMatchObject({ [first.id]: 'expired' });
    expect(codes(await owner.gql(CONFIRM, { id: second.id }))).toEqual(['CONFLICT']);
  }, 60_000);
});

describe('the database’s own guarantee', () => {
  it('refuses an overlapping active row written past the API (exclusion constraint, 23P01); cancelled rows do not count', async () => {
    const propertyId = await listing();
    const r = await requested(resident, propertyId, 0, 5);
    const insert = (status: string) =>
      db.query(
        `INSERT INTO market.property_reservations (id, tenant_id, property_id, owner_id, user_id, status, reservation_start, reservation_end, hold_expires_at, updated_at)
         SELECT gen_random_uuid(), tenant_id, property_id, owner_id, user_id, $2::"market"."ReservationStatus", reservation_start + interval '1 day', reservation_end, hold_expires_at, now()
         FROM market.property_reservations WHERE id = $1`,
        [r.id, status],
      );
    await expect(insert('confirmed')).rejects.toMatchObject({ code: '23P01', constraint: 'property_reservations_no_overlap' });
    await expect(insert('cancelled')).resolves.toMatchObject({ rowCount: 1 });
  });
});

describe('under 50 concurrent requests', () => {
  it('for one period: exactly one is held, 49 are RESERVATION_OVERLAP', async () => {
    const propertyId = await listing();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => request(i % 2 ? resident : other, propertyId, 0, 7)));
    expect(answers.filter((a) => !a.errors).length).toBe(1);
    expect(answers.filter((a) => a.errors).map((a) => a.errors![0]!.extensions?.reason)).toEqual(Array(49).fill('RESERVATION_OVERLAP'));
    expect((await statusesOf(propertyId)).length).toBe(1);
  }, 60_000);

  it('for overlapping staggered periods: the ones held never overlap, and every refused one overlaps one held', async () => {
    const propertyId = await listing();
    const periods = Array.from({ length: 50 }, (_, i) => [i, i + 3] as const);
    const answers = await Promise.all(periods.map(([from, to], i) => request(i % 2 ? resident : other, propertyId, from, to)));
    const held = periods.filter((_, i) => !answers[i]!.errors);
    const refused = periods.filter((_, i) => answers[i]!.errors);
    const overlap = (a: readonly number[], b: readonly number[]) => a[0]! < b[1]! && b[0]! < a[1]!;
    for (const [i, a] of held.entries()) for (const b of held.slice(i + 1)) expect(overlap(a, b)).toBe(false);
    const errorsOf = answers.flatMap((a) =>
      (a.errors ?? []).map((e) => `${e.extensions?.code}/${e.extensions?.reason ?? ''}: ${e.message}`),
    );
    expect([...new Set(errorsOf)]).toEqual(['CONFLICT/RESERVATION_OVERLAP: The listing is already reserved for part of that period.']);
    for (const r of refused) expect(held.some((h) => overlap(h, r))).toBe(true);
    expect(answers.filter((a) => a.errors).every((a) => a.errors![0]!.extensions?.reason === 'RESERVATION_OVERLAP')).toBe(true);
    expect(held.length).toBeGreaterThanOrEqual(10); // a maximal set of these periods has at least 10
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM market.property_reservations WHERE property_id = $1 AND status IN ('pending', 'confirmed')`,
      [propertyId],
    );
    expect(rows[0].n).toBe(held.length);
  }, 60_000);
});
