import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, tokenFor } from './support/client.ts';
import { canvasData, startFakeCanvas, submit, type CanvasData, type FakeCanvas } from './support/canvas-server.ts';
import { seed, type SeededFacility, type SeededPerson, type SignedIn } from './support/seed.ts';
import { collect, wsClient } from './support/subscriptions.ts';
import { users } from '../scripts/demo/ids.ts';

// Courses and progress as people see them after a sync: full-text search, a resident's progress,
// who may see whose, and the learning events as subscriptions (with `after` resume) and webhooks.
const REGISTER = `mutation($input: RegisterProviderPlatformInput!) { registerProviderPlatform(input: $input) { providerPlatformId } }`;
const SYNC = `mutation($id: UUID!) { syncProviderPlatform(id: $id) { taskId } }`;
const TASK = `query($id: UUID!) { syncTask(id: $id) { status counts error } }`;
const SEARCH = `query($f: CourseFilter, $first: Int, $after: String) { courses(first: $first, after: $after, filter: $f) {
  nodes { name } pageInfo { hasNextPage endCursor } } }`;
const PROGRESS = `query($id: UUID!) { user(id: $id) {
  courseEnrollments(first: 10) { nodes { course { name } progress { milestonesCompleted milestonesTotal percent } timeSpentSeconds lastActivityAt
    outcomes { type value } milestones(first: 20) { nodes { type isCompleted } } } }
  outcomes(first: 10) { nodes { type value course { name } } }
  learningProgress { coursesEnrolled coursesCompleted milestonesCompleted timeSpentSeconds lastActivityAt outcomes } } }`;

let admin: SignedIn;
let facilityA: SeededFacility;
let a1: SeededPerson;
let a2: SeededPerson;
let b1: SeededPerson;
let staffA: SignedIn;
let staffB: SignedIn;
let platformId: string;
let fake: FakeCanvas;
let data: CanvasData;

async function syncNow(): Promise<Record<string, number>> {
  const started = await admin.gql<{ syncProviderPlatform: { taskId: string } }>(SYNC, { id: platformId });
  expect(started.errors).toBeUndefined();
  for (let i = 0; i < 200; i++) {
    const res = await admin.gql<{ syncTask: { status: string; counts: Record<string, number>; error: string } }>(TASK, {
      id: started.data!.syncProviderPlatform.taskId,
    });
    const task = res.data!.syncTask;
    if (task.status === 'completed') return task.counts;
    if (task.status !== 'pending' && task.status !== 'running') throw new Error(`sync ${task.status}: ${task.error}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('sync did not finish');
}

beforeAll(async () => {
  const tenant = await seed.tenant();
  [facilityA] = await Promise.all([tenant.facility()]);
  const facilityB = await tenant.facility();
  [a1, a2, b1] = await Promise.all([facilityA.resident(), facilityA.resident(), facilityB.resident()]);
  const [dept, sA, sB] = await Promise.all([tenant.departmentAdmin(), facilityA.staff(), facilityB.staff()]);
  [admin, staffA, staffB] = await Promise.all([dept.api(), sA.api(), sB.api()]);

  data = canvasData({ courses: 4, students: 2, assignments: 4 });
  const names = [
    ['Introduction to Welding', 'WELD-101', 'Safety, tools and first joints.'],
    ['Shop Math', 'Advanced Welding Techniques', 'Measurements for the shop floor.'],
    ['Algebra I', 'ALG-1', 'Equations, including the math of welding angles.'],
    ['Creative Writing', 'ENG-200', 'Stories and poems.'],
  ];
  data.courses.forEach((c, i) => Object.assign(c, { name: names[i]![0], course_code: names[i]![1], public_description: names[i]![2] }));
  Object.assign(data.users[0]!, { email: `${a1.username}@seed.example.org` });
  Object.assign(data.users[1]!, { email: `${a2.username}@seed.example.org` });
  submit(data, 101, 1001, 1);
  submit(data, 101, 1001, 2, true);
  data.enrollments.find((e) => e.course_id === 101 && e.user_id === 1001)!.grades = { final_grade: 'B' };
  data.enrollments.find((e) => e.course_id === 101 && e.user_id === 1001)!.total_activity_time = 5400;
  data.enrollments.find((e) => e.course_id === 102 && e.user_id === 1002)!.enrollment_state = 'completed';
  fake = await startFakeCanvas(data);
  const res = await admin.gql<{ registerProviderPlatform: { providerPlatformId: string } }>(REGISTER, {
    input: {
      name: `Canvas ${randomBytes(4).toString('hex')}`,
      type: 'canvas_cloud',
      baseUrl: fake.url,
      accountId: '1',
      credentials: { accessKey: fake.token },
      facilityIds: [facilityA.id],
    },
  });
  platformId = res.data!.registerProviderPlatform.providerPlatformId;
  await syncNow();
});
afterAll(() => fake.close());

describe('course catalog search', () => {
  it('ranks title matches before description matches, stems words, honours exclusions and the other filters, pages by rank', async () => {
    const api = await a1.api();
    const names = async (filter: Record<string, unknown>, first = 20) =>
      (
        await api.gql<{ courses: { nodes: { name: string }[] } }>(SEARCH, { f: { providerPlatformId: platformId, ...filter }, first })
      ).data!.courses.nodes.map((n) => n.name);
    const welding = await names({ search: 'welding' });
    expect(welding.slice(0, 2).sort()).toEqual(['Introduction to Welding', 'Shop Math']); // name or alternative name
    expect(welding).toEqual([...welding.slice(0, 2), 'Algebra I']); // description only: last
    expect(await names({ search: 'welds' })).toHaveLength(3); // English stemming
    expect(await names({ search: 'welding -algebra' })).not.toContain('Algebra I');
    expect(await names({ search: '"creative writing"' })).toEqual(['Creative Writing']);
    expect(await names({ search: 'welding', outcomeType: 'certificate' })).toEqual([]);
    expect(await names({ search: 'welding', outcomeType: 'grade' })).toHaveLength(3);

    const first = await api.gql<{ courses: { nodes: { name: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(SEARCH, {
      f: { providerPlatformId: platformId, search: 'welding' },
      first: 2,
    });
    expect(first.data!.courses.pageInfo.hasNextPage).toBe(true);
    const rest = await api.gql<{ courses: { nodes: { name: string }[]; pageInfo: { hasNextPage: boolean } } }>(SEARCH, {
      f: { providerPlatformId: platformId, search: 'welding' },
      first: 2,
      after: first.data!.courses.pageInfo.endCursor,
    });
    expect(rest.data!.courses.nodes.map((n) => n.name)).toEqual(['Algebra I']);
    expect(rest.data!.courses.pageInfo.hasNextPage).toBe(false);
  });

  it('shows a platform’s courses only at the facilities it is available at', async () => {
    const here = await (await a1.api()).gql<{ courses: { nodes: unknown[] } }>(SEARCH, { f: { providerPlatformId: platformId } });
    expect(here.data!.courses.nodes).toHaveLength(4);
    const elsewhere = await (await b1.api()).gql<{ courses: { nodes: unknown[] } }>(SEARCH, { f: { providerPlatformId: platformId } });
    expect(elsewhere.data!.courses.nodes).toEqual([]);
    const searched = await (await b1.api()).gql<{ courses: { nodes: unknown[] } }>(SEARCH, { f: { search: 'welding' } });
    expect(searched.data!.courses.nodes).toEqual([]);
  });
});

describe('a resident’s progress', () => {
  it('shows milestones done of total, time spent, last activity and outcomes, per course and in total', async () => {
    const res = await (
      await a1.api()
    ).gql<{
      user: {
        courseEnrollments: {
          nodes: { course: { name: string }; progress: Record<string, number | null>; timeSpentSeconds: number; outcomes: unknown[] }[];
        };
        outcomes: { nodes: { type: string; value: string; course: { name: string } }[] };
        learningProgress: Record<string, unknown>;
      };
    }>(PROGRESS, { id: a1.id });
    expect(res.errors).toBeUndefined();
    const welding = res.data!.user.courseEnrollments.nodes.find((n) => n.course.name === 'Introduction to Welding')!;
    // enrollment + two submissions + one grade are completed milestones; the course has 4 assignments
    expect(welding.progress).toEqual({ milestonesCompleted: 4, milestonesTotal: 4, percent: 100 });
    expect(welding).toMatchObject({ timeSpentSeconds: 5400, outcomes: [{ type: 'grade', value: 'B' }] });
    const algebra = res.data!.user.courseEnrollments.nodes.find((n) => n.course.name === 'Algebra I')!;
    expect(algebra.progress).toEqual({ milestonesCompleted: 1, milestonesTotal: 4, percent: 25 });
    expect(res.data!.user.outcomes.nodes).toEqual([{ type: 'grade', value: 'B', course: { name: 'Introduction to Welding' } }]);
    expect(res.data!.user.learningProgress).toEqual({
      coursesEnrolled: 4,
      coursesCompleted: 0,
      milestonesCompleted: 7,
      timeSpentSeconds: 5400 + 3 * 3600,
      lastActivityAt: '2026-10-01T12:00:00.000Z',
      outcomes: 1,
    });
  });

  it('is the person’s own, their facility’s staff’s and admins’; not another resident’s nor other facilities’ staff’s', async () => {
    const asStaff = await staffA.gql<{ user: { learningProgress: { coursesEnrolled: number } } }>(PROGRESS, { id: a2.id });
    expect(asStaff.errors).toBeUndefined();
    expect(asStaff.data!.user.learningProgress.coursesEnrolled).toBe(4);
    const asAdmin = await admin.gql<{ user: { outcomes: { nodes: { type: string }[] } } }>(PROGRESS, { id: a2.id });
    expect(asAdmin.data!.user.outcomes.nodes.map((o) => o.type)).toEqual(['progress_completion']);

    const classmate = await (await a2.api()).gql<{ user: Record<string, unknown> | null }>(PROGRESS, { id: a1.id });
    expect(codes(classmate)).toContain('FORBIDDEN');
    expect(classmate.data?.user?.courseEnrollments ?? null).toBeNull();
    expect(classmate.data?.user?.learningProgress ?? null).toBeNull();

    // Staff elsewhere may read enrollments, but none of these rows is in their reach.
    const elsewhere = await staffB.gql<{ user: { learningProgress: { coursesEnrolled: number } | null } | null }>(PROGRESS, { id: a1.id });
    expect(elsewhere.data?.user?.learningProgress?.coursesEnrolled ?? 0).toBe(0);
  });
});

describe('learning events', () => {
  it('are subscriptions (only what you may see, resumable with after) and webhook event types', async () => {
    const adminWs = wsClient(admin.accessToken);
    const a1Ws = wsClient((await a1.api()).accessToken);
    const a2Ws = wsClient((await a2.api()).accessToken);
    try {
      const finished = collect<{
        learningSyncFinished: { cursor: string; status: string; counts: Record<string, number>; task: { status: string } };
      }>(adminWs, 'subscription { learningSyncFinished { cursor status counts task { status } } }');
      const mine = collect<{ milestoneCompleted: { milestoneType: string; milestone: { type: string; user: { id: string } } } }>(
        a1Ws,
        'subscription { milestoneCompleted { milestoneType milestone { type user { id } } } }',
      );
      const awarded = collect<{ outcomeAwarded: { outcomeType: string; value: string; outcome: { value: string } } }>(
        a1Ws,
        'subscription { outcomeAwarded { outcomeType value outcome { value } } }',
      );
      const theirs = collect<{ milestoneCompleted: unknown }>(a2Ws, 'subscription { milestoneCompleted { milestone { id } } }');
      await new Promise((r) => setTimeout(r, 500)); // subscriptions established

      submit(data, 103, 1001, 1); // a new submission of a1's
      data.enrollments.find((e) => e.course_id === 101 && e.user_id === 1001)!.grades = { final_grade: 'A' }; // a changed grade
      const counts = await syncNow();
      expect(counts).toMatchObject({ milestonesCreated: 1, outcomesUpdated: 1 });
      await Promise.all([finished.waitFor(1), mine.waitFor(1), awarded.waitFor(1)]);
      expect(finished.results[0]!.data!.learningSyncFinished).toMatchObject({
        status: 'completed',
        task: { status: 'completed' },
        counts: { milestonesCreated: 1 },
      });
      expect(mine.results[0]!.data!.milestoneCompleted).toEqual({
        milestoneType: 'assignment_submission',
        milestone: { type: 'assignment_submission', user: { id: a1.id } },
      });
      expect(awarded.results[0]!.data!.outcomeAwarded).toEqual({ outcomeType: 'grade', value: 'A', outcome: { value: 'A' } });
      await new Promise((r) => setTimeout(r, 500));
      expect(theirs.results).toEqual([]); // a classmate hears nothing of it

      // Resume: a second run, then a new subscription after the first event's cursor gets only the second.
      await syncNow();
      await finished.waitFor(2);
      const resumed = collect<{ learningSyncFinished: { cursor: string } }>(
        adminWs,
        'subscription($a: String) { learningSyncFinished(after: $a) { cursor } }',
        {
          a: finished.results[0]!.data!.learningSyncFinished.cursor,
        },
      );
      await resumed.waitFor(1);
      expect(resumed.results[0]!.data!.learningSyncFinished.cursor).toBe(finished.results[1]!.data!.learningSyncFinished.cursor);
      [finished, mine, awarded, theirs, resumed].forEach((s) => s.stop());
    } finally {
      await Promise.all([adminWs.dispose(), a1Ws.dispose(), a2Ws.dispose()]);
    }
    const types = await (
      await import('./support/client.ts')
    ).gql<{ webhookEventTypes: string[] }>('{ webhookEventTypes }', {}, { token: await tokenFor(users.deptAdmin.username) });
    expect(types.data!.webhookEventTypes).toEqual(
      expect.arrayContaining(['learning.sync.finished', 'learning.milestone.completed', 'learning.outcome.awarded']),
    );
  });
});
