// Helpers for the behavior test files: a tenant of the file's own with the people behavior cares about
// (an admin, a teacher with a student in their caseload, that student's account and guardian, and
// people who must be refused), students made through the API, and direct row counts.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { seed, type SeededFacility, type SeededPerson, type SeededTenant, type SignedIn } from './seed.ts';

// Answers are checked by value (toEqual / toMatchObject), so their shape is left open here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Answer = Record<string, any>;

export const uniqueNumber = () => `S-${randomUUID().slice(0, 8)}`;

/** Runs an operation as `who` and expects no errors. */
export async function ok<T = Answer>(who: SeededPerson, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await (await who.api()).gql<T>(query, variables);
  expect(res.errors).toBeUndefined();
  return res.data!;
}

/** Runs an operation as `who`, errors and all. */
export const run = async (who: SeededPerson, query: string, variables: Record<string, unknown> = {}) =>
  (await who.api()).gql<Answer>(query, variables);

export interface BehaviorWorld {
  t: SeededTenant;
  f: SeededFacility;
  admin: SeededPerson;
  teacher: SeededPerson;
  /** Staff of the same facility, without the student in their caseload. */
  otherStaff: SeededPerson;
  /** The person who signs in as `studentId`. */
  studentUser: SeededPerson;
  guardian: SeededPerson;
  analyst: SeededPerson;
  /** An admin of another tenant. */
  foreignAdmin: SeededPerson;
  studentId: string;
  familyId: string;
  /** A new student at the facility (through createStudent), optionally in the teacher's caseload. */
  student(input?: Record<string, unknown>, inCaseload?: boolean): Promise<string>;
}

const CREATE_FAMILY = `mutation($input: CreateFamilyInput!) { createFamily(input: $input) { familyId } }`;
const CREATE_STUDENT = `mutation($input: CreateStudentInput!) { createStudent(input: $input) { studentId } }`;
const ADD_GUARDIAN = `mutation($f: UUID!, $input: AddGuardianInput!) { addGuardian(familyId: $f, input: $input) { guardianId } }`;
const ASSIGN = `mutation($s: UUID!, $staff: UUID!) { assignToCaseload(studentId: $s, staffId: $staff) { studentId } }`;

export async function behaviorWorld(): Promise<BehaviorWorld> {
  const [t, other] = await Promise.all([seed.tenant(), seed.tenant()]);
  const [f, foreignFacility] = await Promise.all([t.facility(), other.facility()]);
  const [admin, teacher, otherStaff, studentUser, guardian, analyst, foreignAdmin] = await Promise.all([
    f.facilityAdmin(),
    f.staff(),
    f.staff(),
    f.resident(),
    f.person('guardian'),
    t.analyst(),
    foreignFacility.facilityAdmin(),
  ]);
  const student = async (input: Record<string, unknown> = {}, inCaseload = true) => {
    const made = await ok(admin, CREATE_STUDENT, {
      input: { studentNumber: uniqueNumber(), firstName: 'Ada', lastName: 'Stone', gradeLevel: '9', ...input },
    });
    const id = made.createStudent.studentId as string;
    if (inCaseload) await ok(admin, ASSIGN, { s: id, staff: teacher.id });
    return id;
  };
  const familyId = (await ok(admin, CREATE_FAMILY, { input: { familyName: `Family ${uniqueNumber()}` } })).createFamily.familyId;
  await ok(admin, ADD_GUARDIAN, {
    f: familyId,
    input: {
      firstName: 'Gina',
      lastName: 'Stone',
      relationship: 'mother',
      userId: guardian.id,
      email: 'gina@example.org',
      notificationPreferences: { email: true },
    },
  });
  const studentId = await student({ familyId, userId: studentUser.id });
  return { t, f, admin, teacher, otherStaff, studentUser, guardian, analyst, foreignAdmin, studentId, familyId, student };
}

/** A direct connection as the database owner, for "nothing changed" counts. */
export async function ownerDb() {
  const db = new pg.Client({ connectionString: inject('databaseUrl') });
  await db.connect();
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);
  return { db, count };
}

/**
 * A file's world and owner connection, made before its tests and closed after them: read `.w`,
 * `.db` and `.count` inside tests (they are set once `beforeAll` has run).
 */
export function behaviorFile(): { w: BehaviorWorld; db: pg.Client; count: Awaited<ReturnType<typeof ownerDb>>['count'] } {
  const file = {} as ReturnType<typeof behaviorFile>;
  beforeAll(async () => {
    file.w = await behaviorWorld();
    Object.assign(file, await ownerDb());
  });
  afterAll(() => file.db?.end());
  return file;
}

export type { SignedIn };
