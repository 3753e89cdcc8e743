import { describe, expect, it } from 'vitest';
import { facilities, users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';

// Expected figures come from the demo data (scripts/demo/learning.ts, behavior.ts): Lakeshore has
// North Ridge and Cedar Valley, Riverside one learning center. Nothing in the suite writes these tables.

const LEARNING = `query Learning($from: DateTime, $to: DateTime) {
  learningStats(from: $from, to: $to) {
    courses { type count }
    providerPlatforms { type state count }
    enrollments
    enrollmentsByMonth { period count }
    enrollmentsByCourseType { type count }
  }
}`;

const BEHAVIOR = `query Behavior {
  behaviorStats {
    studentsByGradeLevel { gradeLevel count }
    studentsByFacility { facilityId count }
    families guardiansWithAccount guardiansWithoutAccount
  }
}`;

type Counted = { count: number | string } & Record<string, unknown>;
/** `[{ type: 'a', count: 2 }]` → `{ a: 2 }`, so comparisons don't depend on order. */
const tally = (rows: Counted[], ...keys: string[]) =>
  Object.fromEntries(rows.map((row) => [keys.map((k) => String(row[k])).join('/'), row.count]));

interface LearningStats {
  courses: Counted[];
  providerPlatforms: Counted[];
  enrollments: number;
  enrollmentsByMonth: Counted[];
  enrollmentsByCourseType: Counted[];
}
interface BehaviorStats {
  studentsByGradeLevel: Counted[];
  studentsByFacility: Counted[];
  families: number | string;
  guardiansWithAccount: number | string;
  guardiansWithoutAccount: number | string;
}

async function learningStats(username: string, range: { from?: string; to?: string } = {}) {
  const res = await gql<{ learningStats: LearningStats }>(LEARNING, range, { token: await tokenFor(username) });
  expect(res.errors).toBeUndefined();
  const s = res.data!.learningStats;
  return {
    courses: tally(s.courses, 'type'),
    providerPlatforms: tally(s.providerPlatforms, 'type', 'state'),
    enrollments: s.enrollments,
    enrollmentsByMonth: s.enrollmentsByMonth,
    enrollmentsByCourseType: tally(s.enrollmentsByCourseType, 'type'),
  };
}

async function behaviorStats(username: string) {
  const res = await gql<{ behaviorStats: BehaviorStats }>(BEHAVIOR, {}, { token: await tokenFor(username) });
  expect(res.errors).toBeUndefined();
  const s = res.data!.behaviorStats;
  return {
    ...s,
    studentsByGradeLevel: tally(s.studentsByGradeLevel, 'gradeLevel'),
    studentsByFacility: tally(s.studentsByFacility, 'facilityId'),
  };
}

describe('learning aggregates', () => {
  it('gives an analyst (no facility) the counts of their whole tenant, and none of another tenant', async () => {
    expect(await learningStats(users.analyst.username)).toEqual({
      // The retired keyboarding course is removed and not counted; Riverside's career course is another tenant's.
      courses: { open_content: 2, fixed_enrollment: 1, open_enrollment: 1 },
      providerPlatforms: { 'kolibri/enabled': 1, 'canvas_cloud/enabled': 1 },
      enrollments: 6,
      // Counts of people below 5 are "<5" for an analyst (small-cell suppression); course counts are not people.
      enrollmentsByMonth: [
        { period: '2026-09', count: '<5' },
        { period: '2026-10', count: '<5' },
      ],
      enrollmentsByCourseType: { open_content: '<5', fixed_enrollment: '<5', open_enrollment: '<5' },
    });
    // The department's administrator reads the rows themselves, so sees the small counts exactly.
    const exact = await learningStats(users.deptAdmin.username);
    expect(exact.enrollmentsByMonth).toEqual([
      { period: '2026-09', count: 4 },
      { period: '2026-10', count: 2 },
    ]);
    expect(exact.enrollmentsByCourseType).toEqual({ open_content: 2, fixed_enrollment: 2, open_enrollment: 2 });
  });

  it('counts only enrollments in [from, to)', async () => {
    const october = await learningStats(users.analyst.username, { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' });
    expect(october.enrollments).toBe('<5');
    expect(october.enrollmentsByMonth).toEqual([{ period: '2026-10', count: '<5' }]);
    expect(october.enrollmentsByCourseType).toEqual({ open_enrollment: '<5' });
    expect((await learningStats(users.deptAdmin.username, { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' })).enrollments).toBe(
      2,
    );
    // The catalog is not bounded by the range.
    expect(october.courses).toEqual({ open_content: 2, fixed_enrollment: 1, open_enrollment: 1 });
    const res = await gql(
      LEARNING,
      { from: '2026-11-01T00:00:00Z', to: '2026-10-01T00:00:00Z' },
      { token: await tokenFor(users.analyst.username) },
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it('scopes a facility admin to their facility (plus tenant-wide catalog) and Riverside to Riverside', async () => {
    const northRidge = await learningStats(users.facilityAdmin.username);
    expect(northRidge.enrollments).toBe(4); // Kim's two Cedar Valley enrollments are out
    expect(northRidge.enrollmentsByMonth).toEqual([
      { period: '2026-09', count: 3 },
      { period: '2026-10', count: 1 },
    ]);
    expect(northRidge.courses).toEqual({ open_content: 2, fixed_enrollment: 1, open_enrollment: 1 });

    expect(await learningStats(users.riversideAdmin.username)).toEqual({
      courses: { fixed_enrollment: 1 },
      providerPlatforms: { 'brightspace/enabled': 1 },
      enrollments: 1,
      enrollmentsByMonth: [{ period: '2026-08', count: 1 }],
      enrollmentsByCourseType: { fixed_enrollment: 1 },
    });
  });

  it('refuses residents and guardians', async () => {
    for (const who of [users.residentLee, users.guardian]) {
      const res = await gql<{ learningStats: unknown }>(LEARNING, {}, { token: await tokenFor(who.username) });
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(res.data?.learningStats ?? null).toBeNull();
    }
  });
});

describe('behavior aggregates', () => {
  it('gives an analyst the counts of their whole tenant, and none of another tenant, each below 5 as "<5"', async () => {
    // Every demo count is a handful of people: an analyst learns the groups exist, not their sizes.
    expect(await behaviorStats(users.analyst.username)).toEqual({
      studentsByGradeLevel: { 'GED Prep': '<5', 'Adult Basic Education': '<5', 'Career Readiness': '<5' },
      studentsByFacility: { [facilities.northRidge.id]: '<5', [facilities.cedarValley.id]: '<5' },
      families: '<5',
      guardiansWithAccount: '<5',
      guardiansWithoutAccount: '<5',
    });
    // The department's administrator reads the records themselves, so sees the same counts exactly.
    expect(await behaviorStats(users.deptAdmin.username)).toEqual({
      studentsByGradeLevel: { 'GED Prep': 2, 'Adult Basic Education': 1, 'Career Readiness': 1 },
      studentsByFacility: { [facilities.northRidge.id]: 3, [facilities.cedarValley.id]: 1 },
      families: 3,
      guardiansWithAccount: 1,
      guardiansWithoutAccount: 3,
    });
  });

  it('scopes a facility admin to their facility and Riverside to Riverside', async () => {
    expect(await behaviorStats(users.facilityAdmin.username)).toEqual({
      studentsByGradeLevel: { 'GED Prep': 2, 'Adult Basic Education': 1 },
      studentsByFacility: { [facilities.northRidge.id]: 3 },
      families: 2, // Lee and Garcia; the Kims are at Cedar Valley
      guardiansWithAccount: 1,
      guardiansWithoutAccount: 2,
    });
    expect(await behaviorStats(users.riversideAdmin.username)).toEqual({
      studentsByGradeLevel: { '11': 1 },
      studentsByFacility: { [facilities.riverside.id]: 1 },
      families: 1,
      guardiansWithAccount: 0,
      guardiansWithoutAccount: 1,
    });
  });

  it('refuses residents and guardians', async () => {
    for (const who of [users.residentLee, users.guardian]) {
      const res = await gql<{ behaviorStats: unknown }>(BEHAVIOR, {}, { token: await tokenFor(who.username) });
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(res.data?.behaviorStats ?? null).toBeNull();
    }
  });
});

describe('the aggregate types expose counts only', () => {
  const INTROSPECT = `query Type($name: String!) {
    __type(name: $name) { fields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } }
  }`;
  type TypeRef = { kind: string; name: string | null; ofType?: TypeRef | null };
  const named = (t: TypeRef): TypeRef => (t.ofType ? named(t.ofType) : t);
  const statsTypes = [
    'LearningStats',
    'CourseTypeCount',
    'CourseTypeEnrollmentCount',
    'ProviderPlatformCount',
    'LearningPeriodCount',
    'BehaviorStats',
    'GradeLevelCount',
    'FacilityStudentCount',
  ];
  const countTypes = new Set(statsTypes.filter((t) => t !== 'LearningStats' && t !== 'BehaviorStats'));

  it('has only scalar, enum or count-row fields, none of them personal', async () => {
    const token = await tokenFor(users.analyst.username);
    const seen: string[] = [];
    for (const name of statsTypes) {
      const res = await gql<{ __type: { fields: { name: string; type: TypeRef }[] } | null }>(INTROSPECT, { name }, { token });
      expect(res.errors).toBeUndefined();
      for (const field of res.data!.__type!.fields) {
        const leaf = named(field.type);
        seen.push(`${name}.${field.name}`);
        if (leaf.kind === 'OBJECT') expect(countTypes.has(leaf.name!), `${name}.${field.name} → ${leaf.name}`).toBe(true);
        else expect(['SCALAR', 'ENUM']).toContain(leaf.kind);
        expect(field.name).not.toMatch(/name|email|phone|birth|address|user|student(Number|Id)?$|guardian(Id)?$/i);
      }
    }
    expect(seen).toContain('BehaviorStats.guardiansWithAccount');
    expect(seen).toContain('LearningStats.enrollmentsByMonth');
  });
});
