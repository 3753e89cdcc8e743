import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoId, facilities, users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';
import { seed } from './support/seed.ts';

// Classes, enrollments and their change log, through the gateway. Every test makes its own class
// (unique name) at North Ridge, of the demo GED program that North Ridge offers.
const GED = demoId('c1', 1);
const WELDING = demoId('c1', 2); // offered at North Ridge only
const suffix = () => randomUUID().slice(0, 8);

const CREATE = `mutation($input: CreateProgramClassInput!) { createProgramClass(input: $input) { id name capacity status facility { id } program { id } } }`;
const UPDATE = `mutation($id: UUID!, $input: UpdateProgramClassInput!) { updateProgramClass(id: $id, input: $input) { id capacity endDt } }`;
const STATUS = `mutation($id: UUID!, $status: ProgramClassStatus!, $reason: String) { changeProgramClassStatus(id: $id, status: $status, reason: $reason) { id status } }`;
const ENROLL = `mutation($classId: UUID!, $userIds: [UUID!]!) { enrollResidents(classId: $classId, userIds: $userIds) { id status user { id } class { id } } }`;
const CHANGE = `mutation($id: UUID!, $status: ClassEnrollmentStatus!, $reason: String) { changeEnrollmentStatus(id: $id, status: $status, reason: $reason) { id status changeReason endedAt } }`;
const CLASS = `query($id: UUID!) { programClass(id: $id) { id name capacity activeEnrollmentCount
  changeLog(first: 50) { nodes { action reason before after createdAt actor { id } enrollment { id } class { id } } } } }`;

const token = (u: { username: string }) => tokenFor(u.username);
const admin = () => token(users.facilityAdmin);

async function createClass(overrides: Record<string, unknown> = {}, as = users.facilityAdmin) {
  const input = {
    programId: GED,
    facilityId: facilities.northRidge.id,
    name: `Test class ${suffix()}`,
    capacity: 10,
    creditHours: 2,
    startDt: '2027-02-01T14:00:00Z',
    endDt: '2027-05-01T16:00:00Z',
    ...overrides,
  };
  return gql<{ createProgramClass: { id: string; name: string; capacity: number | null; status: string } | null }>(
    CREATE,
    { input },
    { token: await token(as) },
  );
}
async function newClass(overrides: Record<string, unknown> = {}) {
  const res = await createClass(overrides);
  expect(res.errors).toBeUndefined();
  return res.data!.createProgramClass!;
}

let db: pg.Client;
// Real residents of North Ridge: identity vouches for every person an enrollment names.
let pool: string[] = [];
const resident = () => pool.pop()!;
beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('databaseUrl') });
  await db.connect();
  pool = await seed.residentsAt(facilities.northRidge, 140);
});
afterAll(() => db.end());
const countRows = async (sql: string, params: unknown[]) => Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);

describe('campus classes', () => {
  it('a facility admin creates a class, changes it and its status; each change is in the change log', async () => {
    const created = await newClass({ capacity: 8 });
    expect(created).toMatchObject({ capacity: 8, status: 'Scheduled' });

    const updated = await gql(UPDATE, { id: created.id, input: { capacity: 12 } }, { token: await admin() });
    expect(updated.errors).toBeUndefined();
    const activated = await gql(STATUS, { id: created.id, status: 'Active', reason: 'Instructor confirmed' }, { token: await admin() });
    expect(activated.data).toEqual({ changeProgramClassStatus: { id: created.id, status: 'Active' } });

    const log = await gql<{
      programClass: {
        changeLog: { nodes: { action: string; reason: string | null; before: unknown; after: unknown; actor: { id: string } }[] };
      };
    }>(CLASS, { id: created.id }, { token: await admin() });
    expect(log.errors).toBeUndefined();
    const lines = log.data!.programClass.changeLog.nodes;
    expect(lines.map((l) => l.action)).toEqual(['class.status_changed', 'class.updated', 'class.created']);
    expect(lines[0]).toMatchObject({
      reason: 'Instructor confirmed',
      before: { status: 'Scheduled' },
      after: { status: 'Active' },
      actor: { id: users.facilityAdmin.id },
    });
    expect(lines[1]).toMatchObject({ before: { capacity: 8 }, after: { capacity: 12 } });
  });

  it('refuses class management to staff, residents and analysts, and to an admin of another facility', async () => {
    for (const who of [users.teacher, users.residentLee, users.analyst]) {
      const res = await createClass({}, who);
      expect({ who: who.username, codes: codes(res) }).toEqual({ who: who.username, codes: ['FORBIDDEN'] });
    }
    const created = await newClass();
    const otherTenant = await gql(STATUS, { id: created.id, status: 'Active' }, { token: await token(users.riversideAdmin) });
    expect(codes(otherTenant)).toEqual(['NOT_FOUND']);
    const otherFacility = await createClass({ facilityId: facilities.northRidge.id }, users.riversideAdmin);
    expect(codes(otherFacility)).toEqual(['NOT_FOUND']);
  });

  it('rejects bad class input and writes nothing', async () => {
    const name = `Bad class ${suffix()}`;
    const endBeforeStart = await createClass({ name, startDt: '2027-03-01T00:00:00Z', endDt: '2027-02-01T00:00:00Z' });
    expect(codes(endBeforeStart)).toEqual(['BAD_USER_INPUT']);
    expect(endBeforeStart.errors![0]!.extensions).toMatchObject({ fieldErrors: { endDt: expect.any(String) } });
    expect(codes(await createClass({ name, capacity: -1 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await createClass({ name: '   ' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await createClass({ name, programId: demoId('c1', 5) }))).toEqual(['BAD_USER_INPUT']); // another tenant's program
    expect(codes(await createClass({ name, programId: 'not-an-id' }))).toEqual(['BAD_USER_INPUT']);
    expect(await countRows('SELECT count(*) AS n FROM campus.program_classes WHERE name = $1', [name])).toBe(0);

    const created = await newClass({ capacity: 3 });
    await gql(ENROLL, { classId: created.id, userIds: [resident(), resident()] }, { token: await admin() });
    const tooSmall = await gql(UPDATE, { id: created.id, input: { capacity: 1 } }, { token: await admin() });
    expect(codes(tooSmall)).toEqual(['BAD_USER_INPUT']);
    expect(tooSmall.errors![0]!.extensions).toMatchObject({ fieldErrors: { capacity: expect.any(String) } });
    const endBefore = await gql(UPDATE, { id: created.id, input: { endDt: '2027-01-01T00:00:00Z' } }, { token: await admin() });
    expect(codes(endBefore)).toEqual(['BAD_USER_INPUT']);
    const row = (await db.query('SELECT capacity, end_dt FROM campus.program_classes WHERE id = $1', [created.id])).rows[0];
    expect(row).toEqual({ capacity: 3, end_dt: new Date('2027-05-01T16:00:00Z') });
    expect(
      await countRows(`SELECT count(*) AS n FROM campus.class_changes WHERE class_id = $1 AND action = 'class.updated'`, [created.id]),
    ).toBe(0);

    const finished = await newClass();
    await gql(STATUS, { id: finished.id, status: 'Cancelled', reason: 'No instructor' }, { token: await admin() });
    const reopen = await gql(STATUS, { id: finished.id, status: 'Active' }, { token: await admin() });
    expect(codes(reopen)).toEqual(['CONFLICT']);
  });

  it('a program the facility does not offer cannot get a class there', async () => {
    const res = await createClass({ programId: WELDING, facilityId: facilities.cedarValley.id }, users.deptAdmin);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('campus enrollment', () => {
  it('enrolls several people at once, refuses the same person twice, and changes a status with a reason', async () => {
    const created = await newClass();
    const [a, b, c] = [resident(), resident(), resident()];
    const res = await gql<{ enrollResidents: { id: string; status: string; user: { id: string } }[] }>(
      ENROLL,
      { classId: created.id, userIds: [a, b] },
      { token: await admin() },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.enrollResidents.map((e) => [e.user.id, e.status]).sort()).toEqual(
      [
        [a, 'Enrolled'],
        [b, 'Enrolled'],
      ].sort(),
    );

    const twice = await gql(ENROLL, { classId: created.id, userIds: [c, a] }, { token: await admin() });
    expect(codes(twice)).toEqual(['CONFLICT']);
    expect(twice.errors![0]!.extensions).toMatchObject({ reason: 'ALREADY_ENROLLED', userIds: [a] });
    expect(await countRows('SELECT count(*) AS n FROM campus.program_class_enrollments WHERE class_id = $1', [created.id])).toBe(2); // c was not enrolled either

    const enrollment = res.data!.enrollResidents.find((e) => e.user.id === a)!;
    const noReason = await gql(CHANGE, { id: enrollment.id, status: 'Incomplete_Withdrawn' }, { token: await admin() });
    expect(codes(noReason)).toEqual(['BAD_USER_INPUT']);
    const withdrawn = await gql(
      CHANGE,
      { id: enrollment.id, status: 'Incomplete_Withdrawn', reason: 'Moved to work detail' },
      { token: await admin() },
    );
    expect(withdrawn.data).toMatchObject({
      changeEnrollmentStatus: { status: 'Incomplete_Withdrawn', changeReason: 'Moved to work detail', endedAt: expect.any(String) },
    });
    expect(
      (await db.query('SELECT enrollment_status FROM campus.program_class_enrollments WHERE id = $1', [enrollment.id])).rows[0],
    ).toEqual({ enrollment_status: 'Incomplete: Withdrawn' });
    const back = await gql(CHANGE, { id: enrollment.id, status: 'Enrolled', reason: 'oops' }, { token: await admin() });
    expect(codes(back)).toEqual(['CONFLICT']);

    const log = await gql<{
      programClass: {
        activeEnrollmentCount: number;
        changeLog: { nodes: { action: string; before: unknown; after: unknown; enrollment: { id: string } | null }[] };
      };
    }>(CLASS, { id: created.id }, { token: await admin() });
    expect(log.data!.programClass.activeEnrollmentCount).toBe(1);
    const statusLine = log.data!.programClass.changeLog.nodes[0]!;
    expect(statusLine).toMatchObject({
      action: 'enrollment.status_changed',
      before: { status: 'Enrolled' },
      after: { status: 'Incomplete_Withdrawn' },
      enrollment: { id: enrollment.id },
    });
    const perEnrollment = await gql<{
      programClass: { enrollments: { nodes: { id: string; changeLog: { nodes: { action: string }[] } }[] } };
    }>(
      `query($id: UUID!) { programClass(id: $id) { enrollments { nodes { id changeLog { nodes { action } } } } } }`,
      { id: created.id },
      { token: await admin() },
    );
    const lines = perEnrollment
      .data!.programClass.enrollments.nodes.find((e) => e.id === enrollment.id)!
      .changeLog.nodes.map((l) => l.action);
    expect(lines).toEqual(['enrollment.status_changed', 'enrollment.created']);
  });

  it('accepts every seed outcome from Enrolled', async () => {
    const outcomes = [
      'Completed',
      'Cancelled',
      'Incomplete_Withdrawn',
      'Incomplete_Dropped',
      'Incomplete_Failed_to_Complete',
      'Incomplete_Transfered',
      'Incomplete_Segregated',
    ];
    const created = await newClass();
    const res = await gql<{ enrollResidents: { id: string }[] }>(
      ENROLL,
      { classId: created.id, userIds: outcomes.map(() => resident()) },
      { token: await admin() },
    );
    const ids = res.data!.enrollResidents.map((e) => e.id);
    for (const [i, status] of outcomes.entries()) {
      const changed = await gql(CHANGE, { id: ids[i], status, reason: 'outcome' }, { token: await admin() });
      expect({ status, errors: changed.errors }).toEqual({ status, errors: undefined });
    }
  });

  it('refuses enrollment changes to staff, residents and analysts, and bad ids', async () => {
    const created = await newClass();
    for (const who of [users.teacher, users.residentLee, users.analyst]) {
      const res = await gql(ENROLL, { classId: created.id, userIds: [randomUUID()] }, { token: await token(who) });
      expect({ who: who.username, codes: codes(res) }).toEqual({ who: who.username, codes: ['FORBIDDEN'] });
    }
    expect(codes(await gql(ENROLL, { classId: created.id, userIds: ['nope'] }, { token: await admin() }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(ENROLL, { classId: created.id, userIds: [] }, { token: await admin() }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(ENROLL, { classId: randomUUID(), userIds: [randomUUID()] }, { token: await admin() }))).toEqual(['NOT_FOUND']);
    expect(await countRows('SELECT count(*) AS n FROM campus.program_class_enrollments WHERE class_id = $1', [created.id])).toBe(0);
    // Residents and analysts cannot read the change log.
    const log = await gql<{ programClass: { changeLog: unknown } | null }>(
      `query($id: UUID!) { programClass(id: $id) { changeLog { nodes { action } } } }`,
      { id: created.id },
      { token: await token(users.residentLee) },
    );
    expect(codes(log)).toContain('FORBIDDEN');
  });

  it('100 concurrent enroll calls into a class of 10: exactly 10 enrolled, 90 CLASS_FULL, no error of any other kind', async () => {
    const created = await newClass({ capacity: 10 });
    const tok = await admin();
    const results = await Promise.all(
      Array.from({ length: 100 }, () => gql(ENROLL, { classId: created.id, userIds: [resident()] }, { token: tok })),
    );
    const ok = results.filter((r) => !r.errors);
    const refused = results.filter((r) => r.errors);
    // Anything but CLASS_FULL (a timeout, a busy pool) is a failure: show it first.
    expect(refused.flatMap((r) => r.errors!).filter((e) => e.extensions?.reason !== 'CLASS_FULL')).toEqual([]);
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(90);
    for (const r of refused) {
      expect(codes(r)).toEqual(['CONFLICT']);
      expect(r.errors![0]!.extensions).toMatchObject({ reason: 'CLASS_FULL', seatsLeft: 0 });
    }
    expect(
      await countRows(`SELECT count(*) AS n FROM campus.program_class_enrollments WHERE class_id = $1 AND enrollment_status = 'Enrolled'`, [
        created.id,
      ]),
    ).toBe(10);
    expect(
      await countRows(`SELECT count(*) AS n FROM campus.class_changes WHERE class_id = $1 AND action = 'enrollment.created'`, [created.id]),
    ).toBe(10);
    // A loaded 2-core machine takes a while for 100 requests; correctness, not speed, is asserted.
  }, 120_000);

  it('a cancelled class takes no enrollments', async () => {
    const created = await newClass();
    await gql(STATUS, { id: created.id, status: 'Cancelled', reason: 'Budget' }, { token: await admin() });
    const res = await gql(ENROLL, { classId: created.id, userIds: [resident()] }, { token: await admin() });
    expect(codes(res)).toEqual(['CONFLICT']);
    expect(res.errors![0]!.extensions).toMatchObject({ reason: 'CLASS_CLOSED' });
  });
});
