import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appDatabaseUrl } from '../scripts/database.ts';
import { codes } from './support/client.ts';
import { seed, type SeededFacility, type SeededPerson, type SeededTenant, type SignedIn } from './support/seed.ts';

// Families, students, guardians and caseloads through the gateway, in a tenant of this file's own.
const CREATE_FAMILY = `mutation($input: CreateFamilyInput!) { createFamily(input: $input) { familyId family { id familyName facility { id } } } }`;
const UPDATE_FAMILY = `mutation($id: UUID!, $input: UpdateFamilyInput!) { updateFamily(id: $id, input: $input) { familyId family { familyName phone } } }`;
const ARCHIVE_FAMILY = `mutation($id: UUID!, $reason: String!) { archiveFamily(id: $id, reason: $reason) { familyId family { archivedAt } } }`;
const CREATE_STUDENT = `mutation($input: CreateStudentInput!) { createStudent(input: $input) { studentId student { id studentNumber gradeLevel birthDate family { id } facility { id } user { id } } } }`;
const UPDATE_STUDENT = `mutation($id: UUID!, $input: UpdateStudentInput!) { updateStudent(id: $id, input: $input) { studentId student { gradeLevel additionalInfo } } }`;
const ARCHIVE_STUDENT = `mutation($id: UUID!, $reason: String!) { archiveStudent(id: $id, reason: $reason) { studentId student { archivedAt } } }`;
const ADD_GUARDIAN = `mutation($f: UUID!, $input: AddGuardianInput!) { addGuardian(familyId: $f, input: $input) { guardianId guardian { name relationship email notificationPreferences user { id } } } }`;
const UPDATE_GUARDIAN = `mutation($id: UUID!, $input: UpdateGuardianInput!) { updateGuardian(id: $id, input: $input) { guardianId guardian { relationship } } }`;
const ARCHIVE_GUARDIAN = `mutation($id: UUID!, $reason: String!) { archiveGuardian(id: $id, reason: $reason) { guardianId } }`;
const ASSIGN = `mutation($s: UUID!, $staff: UUID!) { assignToCaseload(studentId: $s, staffId: $staff) { studentId assignment { staff { id } assignedBy { id } student { id } } } }`;
const UNASSIGN = `mutation($s: UUID!, $staff: UUID!, $r: String) { removeFromCaseload(studentId: $s, staffId: $staff, reason: $r) { removed } }`;
const STUDENT = `query($id: UUID!) { student(id: $id) { id firstName additionalInfo } }`;
const HISTORY = `query($id: UUID!) { student(id: $id) { changeLog(first: 20) { nodes { action entityType reason before after actor { id } } } } }`;

let t: SeededTenant, f: SeededFacility, other: SeededFacility, otherTenant: SeededTenant;
let admin: SeededPerson, staff: SeededPerson, resident: SeededPerson, guardian: SeededPerson, analyst: SeededPerson;
let deptAdmin: SeededPerson, otherAdmin: SeededPerson, foreignAdmin: SeededPerson;
let db: pg.Client;
const n = () => `S-${randomUUID().slice(0, 8)}`;
const as = (p: SeededPerson) => p.api();

beforeAll(async () => {
  [t, otherTenant] = await Promise.all([seed.tenant(), seed.tenant()]);
  [f, other] = await Promise.all([t.facility(), t.facility()]);
  const foreignFacility = await otherTenant.facility();
  [admin, staff, resident, guardian, analyst, deptAdmin, otherAdmin, foreignAdmin] = await Promise.all([
    f.facilityAdmin(),
    f.staff(),
    f.resident(),
    f.person('guardian'),
    t.analyst(),
    t.departmentAdmin(),
    other.facilityAdmin(),
    foreignFacility.facilityAdmin(),
  ]);
  db = new pg.Client({ connectionString: inject('databaseUrl') });
  await db.connect();
});
afterAll(() => db?.end());

// Answers are checked by value (toEqual / toMatchObject), so their shape is left open here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = Record<string, any>;

const count = async (sql: string, params: unknown[]) => Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);

async function ok<T = Answer>(api: Promise<SignedIn> | SignedIn, query: string, variables: Record<string, unknown>) {
  const res = await (await api).gql<T>(query, variables);
  expect(res.errors).toBeUndefined();
  return res.data!;
}

async function newFamily(by = admin) {
  const d = await ok(as(by), CREATE_FAMILY, { input: { familyName: `Family ${n()}`, phone: '+1 585 555 0100' } });
  return d.createFamily.familyId as string;
}
async function newStudent(input: Record<string, unknown> = {}, by = admin) {
  const d = await ok(as(by), CREATE_STUDENT, {
    input: { studentNumber: n(), firstName: 'Ada', lastName: 'Stone', gradeLevel: '9', ...input },
  });
  return d.createStudent.studentId as string;
}

describe('behavior records: families, students, guardians', () => {
  it('a facility admin creates, changes and archives; each change is in the history with before → after', async () => {
    const familyId = await newFamily();
    const created = await ok(as(admin), CREATE_STUDENT, {
      input: {
        studentNumber: n(),
        firstName: 'Ada',
        lastName: 'Stone',
        gradeLevel: '9',
        birthDate: '2010-04-02',
        familyId,
        userId: resident.id,
      },
    });
    const studentId = created.createStudent.studentId;
    expect(created.createStudent.student).toMatchObject({
      gradeLevel: '9',
      birthDate: '2010-04-02',
      family: { id: familyId },
      facility: { id: f.id },
      user: { id: resident.id },
    });
    const updated = await ok(as(admin), UPDATE_STUDENT, { id: studentId, input: { gradeLevel: '10', additionalInfo: { iep: true } } });
    expect(updated.updateStudent.student).toEqual({ gradeLevel: '10', additionalInfo: { iep: true } });
    const archived = await ok(as(admin), ARCHIVE_STUDENT, { id: studentId, reason: 'Moved away' });
    expect(archived.archiveStudent.student.archivedAt).toEqual(expect.any(String));

    const history = await ok(as(admin), HISTORY, { id: studentId });
    const lines = history.student.changeLog.nodes;
    expect(lines.map((l: { action: string }) => l.action)).toEqual(['student.archived', 'student.updated', 'student.created']);
    expect(lines[1]).toEqual({
      action: 'student.updated',
      entityType: 'student',
      reason: null,
      before: { gradeLevel: '9', additionalInfo: {} },
      after: { gradeLevel: '10', additionalInfo: { iep: true } },
      actor: { id: admin.id },
    });
    expect(lines[0]).toMatchObject({ reason: 'Moved away', before: { archivedAt: null } });

    const again = await (await as(admin)).gql(ARCHIVE_STUDENT, { id: studentId, reason: 'Twice' });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_IN_STATE' });

    const fam = await ok(as(admin), UPDATE_FAMILY, { id: familyId, input: { phone: '+1 585 555 0199' } });
    expect(fam.updateFamily.family.phone).toBe('+1 585 555 0199');
    await ok(as(admin), ARCHIVE_FAMILY, { id: familyId, reason: 'Household split' });
    expect(
      await count(`SELECT count(*) n FROM behavior.behavior_changes WHERE family_id = $1 AND entity_type = 'family'`, [familyId]),
    ).toBe(3);
  });

  it('refuses writes to staff, residents, guardians and analysts (FORBIDDEN) and writes nothing', async () => {
    const familyId = await newFamily();
    const number = n();
    for (const who of [staff, resident, guardian, analyst]) {
      const res = await (
        await as(who)
      ).gql(CREATE_STUDENT, { input: { studentNumber: number, firstName: 'X', lastName: 'Y', gradeLevel: '9' } });
      expect({ who: who.role, codes: codes(res) }).toEqual({ who: who.role, codes: ['FORBIDDEN'] });
      const fam = await (await as(who)).gql(UPDATE_FAMILY, { id: familyId, input: { familyName: 'Taken over' } });
      expect({ who: who.role, codes: codes(fam) }).toEqual({ who: who.role, codes: ['FORBIDDEN'] });
    }
    expect(await count('SELECT count(*) n FROM behavior.students WHERE student_number = $1', [number])).toBe(0);
    expect(await count(`SELECT count(*) n FROM behavior.families WHERE id = $1 AND family_name = 'Taken over'`, [familyId])).toBe(0);
  });

  it("another facility's admin and another tenant's admin get NOT_FOUND; a department admin reaches the tenant", async () => {
    const studentId = await newStudent();
    const familyId = await newFamily();
    for (const who of [otherAdmin, foreignAdmin]) {
      expect(codes(await (await as(who)).gql(UPDATE_STUDENT, { id: studentId, input: { gradeLevel: '12' } }))).toEqual(['NOT_FOUND']);
      expect(codes(await (await as(who)).gql(ARCHIVE_FAMILY, { id: familyId, reason: 'x' }))).toEqual(['NOT_FOUND']);
      expect(codes(await (await as(who)).gql(ASSIGN, { s: studentId, staff: staff.id }))).toEqual(['NOT_FOUND']);
      // Another tenant's family id looks unknown when naming it in a new student.
      expect(
        codes(
          await (
            await as(who)
          ).gql(CREATE_STUDENT, { input: { studentNumber: n(), firstName: 'A', lastName: 'B', gradeLevel: '1', familyId } }),
        ),
      ).toEqual(['NOT_FOUND']);
    }
    // A facility admin cannot place a student at another facility.
    const elsewhere = await (
      await as(admin)
    ).gql(CREATE_STUDENT, { input: { studentNumber: n(), firstName: 'A', lastName: 'B', gradeLevel: '1', facilityId: other.id } });
    expect(codes(elsewhere)).toEqual(['NOT_FOUND']);
    expect(await count(`SELECT count(*) n FROM behavior.students WHERE id = $1 AND grade_level = '9'`, [studentId])).toBe(1);

    const moved = await ok(as(deptAdmin), UPDATE_STUDENT, { id: studentId, input: { gradeLevel: '11' } });
    expect(moved.updateStudent.student.gradeLevel).toBe('11');
  });

  it('rejects bad input with fieldErrors and writes nothing', async () => {
    const number = n();
    const bad = async (input: Record<string, unknown>) =>
      (await as(admin)).gql(CREATE_STUDENT, { input: { studentNumber: number, firstName: 'A', lastName: 'B', gradeLevel: '9', ...input } });
    const cases: [Record<string, unknown>, string][] = [
      [{ firstName: '   ' }, 'firstName'],
      [{ birthDate: '2010-02-30' }, 'birthDate'],
      [{ birthDate: '2999-01-01' }, 'birthDate'],
      [{ additionalInfo: [1, 2] }, 'additionalInfo'],
      [{ studentNumber: 'x'.repeat(65) }, 'studentNumber'],
    ];
    for (const [input, field] of cases) {
      const res = await bad(input);
      expect({ input, codes: codes(res) }).toEqual({ input, codes: ['BAD_USER_INPUT'] });
      if (field !== 'birthDate' || input.birthDate !== '2010-02-30') expect(res.errors![0]!.extensions!.fieldErrors).toHaveProperty(field);
    }
    expect(codes(await bad({ familyId: 'not-a-uuid' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await bad({ familyId: randomUUID() }))).toEqual(['NOT_FOUND']);
    expect(await count('SELECT count(*) n FROM behavior.students WHERE student_number = $1', [number])).toBe(0);

    const first = await newStudent({ studentNumber: number });
    const dup = await bad({});
    expect(dup.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE' });
    expect(await count('SELECT count(*) n FROM behavior.students WHERE student_number = $1', [number])).toBe(1);
    expect(await count('SELECT count(*) n FROM behavior.behavior_changes WHERE student_id = $1', [first])).toBe(1);

    const familyId = await newFamily();
    const noEmail = await (
      await as(admin)
    ).gql(ADD_GUARDIAN, {
      f: familyId,
      input: { firstName: 'G', lastName: 'H', relationship: 'aunt', notificationPreferences: { email: true } },
    });
    expect(codes(noEmail)).toEqual(['BAD_USER_INPUT']);
    expect(noEmail.errors![0]!.extensions!.fieldErrors).toHaveProperty('email');
    const badEmail = await (
      await as(admin)
    ).gql(ADD_GUARDIAN, { f: familyId, input: { firstName: 'G', lastName: 'H', relationship: 'aunt', email: 'nope' } });
    expect(codes(badEmail)).toEqual(['BAD_USER_INPUT']);
    expect(await count('SELECT count(*) n FROM behavior.guardians WHERE family_id = $1', [familyId])).toBe(0);
  });
});

describe('behavior records: who sees what', () => {
  it('a linked guardian sees summaries of their children, never the details; archiving the guardian ends it', async () => {
    const familyId = await newFamily();
    const studentId = await newStudent({ familyId, additionalInfo: { note: 'private' } });
    const added = await ok(as(admin), ADD_GUARDIAN, {
      f: familyId,
      input: {
        firstName: 'Gina',
        lastName: 'Stone',
        relationship: 'mother',
        email: 'Gina@Example.org',
        notificationPreferences: { email: true },
        userId: guardian.id,
      },
    });
    expect(added.addGuardian.guardian).toEqual({
      name: 'Gina Stone',
      relationship: 'mother',
      email: 'gina@example.org',
      notificationPreferences: { email: true, sms: false, app: false },
      user: { id: guardian.id },
    });
    const guardianId = added.addGuardian.guardianId;

    const seen = await (await as(guardian)).gql<Answer>(STUDENT, { id: studentId });
    expect(seen.data!.student).toEqual({ id: studentId, firstName: 'Ada', additionalInfo: null });
    expect(seen.errors!.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([['student.additionalInfo', 'FORBIDDEN']]);

    const children = await ok(as(guardian), `{ me { children { nodes { id firstName } } } }`, {});
    expect(children.me.children.nodes).toEqual([{ id: studentId, firstName: 'Ada' }]);

    await ok(as(admin), UPDATE_GUARDIAN, { id: guardianId, input: { relationship: 'stepmother' } });
    await ok(as(admin), ARCHIVE_GUARDIAN, { id: guardianId, reason: 'Custody changed' });
    const after = await (await as(guardian)).gql<Answer>(STUDENT, { id: studentId });
    expect(after.data!.student).toBeNull();
    const lines = await db.query(`SELECT action FROM behavior.behavior_changes WHERE entity_id = $1 ORDER BY at`, [guardianId]);
    expect(lines.rows.map((r) => r.action)).toEqual(['guardian.added', 'guardian.updated', 'guardian.archived']);
  });

  it('staff see a student only while in their caseload, which only admins change', async () => {
    const studentId = await newStudent({ additionalInfo: { plan: 'B' } });
    expect((await (await as(staff)).gql<Answer>(STUDENT, { id: studentId })).data!.student).toBeNull();

    const denied = await (await as(staff)).gql(ASSIGN, { s: studentId, staff: staff.id });
    expect(codes(denied)).toEqual(['FORBIDDEN']);
    expect(codes(await (await as(resident)).gql(ASSIGN, { s: studentId, staff: staff.id }))).toEqual(['FORBIDDEN']);
    expect(await count('SELECT count(*) n FROM behavior.teacher_student_assignments WHERE student_id = $1', [studentId])).toBe(0);

    const assigned = await ok(as(admin), ASSIGN, { s: studentId, staff: staff.id });
    expect(assigned.assignToCaseload.assignment).toEqual({
      staff: { id: staff.id },
      assignedBy: { id: admin.id },
      student: { id: studentId },
    });
    const twice = await (await as(admin)).gql(ASSIGN, { s: studentId, staff: staff.id });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_IN_STATE' });

    const visible = await ok(as(staff), STUDENT, { id: studentId });
    expect(visible.student).toEqual({ id: studentId, firstName: 'Ada', additionalInfo: { plan: 'B' } });
    const mine = await ok(as(staff), `{ me { caseload(first: 50) { nodes { id } } } }`, {});
    expect(mine.me.caseload.nodes).toEqual([{ id: studentId }]);

    expect((await ok(as(admin), UNASSIGN, { s: studentId, staff: staff.id, r: 'Schedule change' })).removeFromCaseload.removed).toBe(true);
    expect((await ok(as(admin), UNASSIGN, { s: studentId, staff: staff.id })).removeFromCaseload.removed).toBe(false);
    expect((await (await as(staff)).gql<Answer>(STUDENT, { id: studentId })).data!.student).toBeNull();
    const history = await ok(as(admin), HISTORY, { id: studentId });
    expect(history.student.changeLog.nodes.map((l: { action: string }) => l.action)).toEqual([
      'caseload.removed',
      'caseload.assigned',
      'student.created',
    ]);
  });
});

describe('behavior records: Row-Level Security (student_caseload policy)', () => {
  it('as the application role, a staff scope reads only assigned students and a person only their own record', async () => {
    const [assignedId, otherId, ownId] = [await newStudent(), await newStudent(), await newStudent({ userId: randomUUID() })];
    await ok(as(admin), ASSIGN, { s: assignedId, staff: staff.id });
    const own = (await db.query('SELECT user_id FROM behavior.students WHERE id = $1', [ownId])).rows[0].user_id;
    const client = new pg.Client({ connectionString: appDatabaseUrl(inject('adminDatabaseUrl'), inject('secrets').APP_DB_PASSWORD) });
    await client.connect();
    const visibleAs = async (settings: Record<string, string>) => {
      await client.query('BEGIN');
      try {
        for (const [k, v] of Object.entries({ 'app.tenant_id': t.id, 'app.reach': 'facility', ...settings }))
          await client.query('SELECT set_config($1, $2, true)', [k, v]);
        const rows = await client.query('SELECT id FROM behavior.students WHERE id = ANY($1::uuid[])', [[assignedId, otherId, ownId]]);
        return rows.rows.map((r) => r.id).sort();
      } finally {
        await client.query('ROLLBACK');
      }
    };
    try {
      expect(await visibleAs({ 'app.student_reach': 'assigned', 'app.user_id': staff.id })).toEqual([assignedId]);
      expect(await visibleAs({ 'app.student_reach': 'own', 'app.user_id': own })).toEqual([ownId]);
      expect(await visibleAs({})).toEqual([]);
      expect(await visibleAs({ 'app.student_reach': 'facility', 'app.facility_id': f.id })).toEqual([assignedId, otherId, ownId].sort());
    } finally {
      await client.end();
    }
  });
});
