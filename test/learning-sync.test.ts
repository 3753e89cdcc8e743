import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEventPublisher, keyRing, pgAdapter, withScope } from '@pathway/kit';
import { PrismaClient } from '../subgraphs/learning/src/generated/prisma/client.ts';
import { DEV_SECRET } from '../subgraphs/learning/src/providers/settings.ts';
import { identityDirectory } from '../subgraphs/learning/src/sync/people.ts';
import { runSyncTask, type SyncDeps } from '../subgraphs/learning/src/sync/run.ts';
import { requestSync } from '../subgraphs/learning/src/writes/tasks.ts';
import { codes } from './support/client.ts';
import { canvasData, startFakeCanvas, submit, type CanvasData, type FakeCanvas } from './support/canvas-server.ts';
import { seed, type SeededPerson, type SeededTenant, type SignedIn } from './support/seed.ts';

// Provider sync as tasks, through the gateway, against a local server answering as Canvas does.
const REGISTER = `mutation($input: RegisterProviderPlatformInput!) { registerProviderPlatform(input: $input) { providerPlatformId } }`;
const SYNC = `mutation($id: UUID!) { syncProviderPlatform(id: $id) { taskId task { status priority requestedBy { id } } } }`;
const CANCEL = `mutation($id: UUID!) { cancelSyncTask(id: $id) { taskId task { status cancelRequestedAt } } }`;
const TASK = `query($id: UUID!) { syncTask(id: $id) { id status counts error errorKind payload startedAt finishedAt providerPlatform { id } } }`;
const TASKS = `query($p: UUID) { syncTasks(first: 50, filter: { providerPlatformId: $p }) { nodes { id status } } }`;
const MAPPINGS = `query($p: UUID!, $s: ProviderUserMappingStatus) { providerUserMappings(providerPlatformId: $p, status: $s, first: 50) {
  nodes { id externalUserId externalEmail status matchedBy user { id } } } }`;
const LINK = `mutation($m: UUID!, $u: UUID!) { linkProviderUser(mappingId: $m, userId: $u) { mappingId mapping { status matchedBy user { id } } } }`;
const IGNORE = `mutation($m: UUID!) { ignoreProviderUser(mappingId: $m) { mapping { status user { id } } } }`;

type Counts = Record<string, number>;
interface TaskRow {
  id: string;
  status: string;
  counts: Counts;
  error: string | null;
  errorKind: string | null;
  payload: Record<string, unknown>;
}

let db: pg.Client;
let tenant: SeededTenant;
let other: SeededTenant;
let admin: SignedIn;
let wrongRoles: SignedIn[];
let residents: SeededPerson[];
const servers: FakeCanvas[] = [];

beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
  [tenant, other] = await Promise.all([seed.tenant(), seed.tenant()]);
  const facility = await tenant.facility();
  residents = await Promise.all([facility.resident(), facility.resident(), facility.resident(), facility.resident()]);
  const [dept, facilityAdmin, staff] = await Promise.all([tenant.departmentAdmin(), facility.facilityAdmin(), facility.staff()]);
  [admin, ...wrongRoles] = await Promise.all([dept.api(), facilityAdmin.api(), staff.api()]);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await db.end();
});

/**
 * Canvas people: the first resident by email, the second by username (login_id), the third by
 * sis_user_id = their Pathway id; one stranger nobody knows. Every one is enrolled in every course.
 */
function account(courses: number): CanvasData {
  const data = canvasData({ courses, students: 4, assignments: 2 });
  const [a, b, c] = residents;
  Object.assign(data.users[0]!, { email: `${a!.username.toUpperCase()}@seed.example.org`, login_id: 'someone-else-a' });
  Object.assign(data.users[1]!, { email: null, login_id: b!.username });
  Object.assign(data.users[2]!, { email: null, login_id: 'someone-else-c', sis_user_id: c!.id });
  Object.assign(data.users[3]!, { email: 'stranger@elsewhere.example.org', login_id: 'stranger', sis_user_id: null });
  return data;
}

async function platform(data: CanvasData, options: { perPage?: number } = {}) {
  const fake = await startFakeCanvas(data);
  fake.maxPerPage = options.perPage ?? 100;
  servers.push(fake);
  const res = await admin.gql<{ registerProviderPlatform: { providerPlatformId: string } }>(REGISTER, {
    input: {
      name: `Canvas ${randomBytes(4).toString('hex')}`,
      type: 'canvas_oss',
      baseUrl: fake.url,
      accountId: data.accountId,
      credentials: { accessKey: fake.token },
    },
  });
  expect(res.errors).toBeUndefined();
  return { fake, id: res.data!.registerProviderPlatform.providerPlatformId };
}

async function startSync(platformId: string): Promise<string> {
  const res = await admin.gql<{ syncProviderPlatform: { taskId: string; task: { status: string; priority: number } } }>(SYNC, {
    id: platformId,
  });
  expect(res.errors).toBeUndefined();
  expect(res.data!.syncProviderPlatform.task).toMatchObject({ priority: 1 });
  return res.data!.syncProviderPlatform.taskId;
}

async function settled(taskId: string): Promise<TaskRow> {
  for (let i = 0; i < 200; i++) {
    const res = await admin.gql<{ syncTask: TaskRow }>(TASK, { id: taskId });
    const task = res.data?.syncTask;
    if (task && !['pending', 'running'].includes(task.status)) return task;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`task ${taskId} did not finish`);
}

const sync = async (platformId: string) => settled(await startSync(platformId));

async function rows(platformId: string) {
  const q = async (sql: string) => Number((await db.query(sql, [platformId])).rows[0].count);
  return {
    courses: await q('SELECT count(*) FROM learning.courses WHERE provider_platform_id = $1'),
    enrollments: await q(
      'SELECT count(*) FROM learning.course_enrollments e JOIN learning.courses c ON c.id = e.course_id WHERE c.provider_platform_id = $1',
    ),
    milestones: await q(
      'SELECT count(*) FROM learning.milestones m JOIN learning.courses c ON c.id = m.course_id WHERE c.provider_platform_id = $1',
    ),
    outcomes: await q(
      'SELECT count(*) FROM learning.outcomes o JOIN learning.courses c ON c.id = o.course_id WHERE c.provider_platform_id = $1',
    ),
  };
}

describe('syncProviderPlatform', () => {
  it('syncs people (matched by email, username and external id; one unmatched), courses, enrollments, milestones, outcomes; a second run changes nothing', async () => {
    const data = account(3);
    submit(data, 101, 1001, 1);
    submit(data, 101, 1001, 2, true);
    data.enrollments.find((e) => e.course_id === 101 && e.user_id === 1001)!.grades = { final_grade: 'A-' };
    const { id } = await platform(data, { perPage: 2 });
    const first = await sync(id);
    expect(first.status).toBe('completed');
    expect(first.counts).toMatchObject({
      usersSeen: 4,
      mappingsCreated: 4,
      mappingsMatched: 3,
      usersUnmatched: 1,
      coursesSeen: 3,
      coursesCreated: 3,
      enrollmentsCreated: 9,
      enrollmentsSkipped: 3,
      milestonesCreated: 9 + 3, // an enrollment milestone each, two submissions and one grade
      outcomesCreated: 1,
    });
    expect(await rows(id)).toEqual({ courses: 3, enrollments: 9, milestones: 12, outcomes: 1 });

    const mappings = await admin.gql<{
      providerUserMappings: { nodes: { externalUserId: string; status: string; matchedBy: string; user: { id: string } | null }[] };
    }>(MAPPINGS, { p: id });
    // Written in one statement: same creation time, so compare them in provider order.
    const listed = mappings.data!.providerUserMappings.nodes.map((m) => [m.externalUserId, m.status, m.matchedBy, m.user?.id ?? null]);
    expect(listed.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['1001', 'matched', 'email', residents[0]!.id],
      ['1002', 'matched', 'username', residents[1]!.id],
      ['1003', 'matched', 'external_id', residents[2]!.id],
      ['1004', 'unmatched', null, null],
    ]);

    const second = await sync(id);
    expect(second.status).toBe('completed');
    const changed = Object.entries(second.counts).filter(([k, v]) => /Created|Updated|Matched/.test(k) && v !== 0);
    expect(changed).toEqual([]);
    expect(second.counts).toMatchObject({
      coursesUnchanged: 3,
      enrollmentsUnchanged: 9,
      milestonesUnchanged: 12,
      mappingsUnchanged: 4,
      usersUnmatched: 1,
    });
    expect(await rows(id)).toEqual({ courses: 3, enrollments: 9, milestones: 12, outcomes: 1 });

    // The resident sees their own progress through User.courseEnrollments.
    const mine = await (
      await residents[0]!.api()
    ).gql<{ me: { id: string } }>(`{ me { id courseEnrollments(first: 10) { nodes { course { name } } } } }`);
    expect(mine.errors).toBeUndefined();
    expect(JSON.stringify(mine.data)).toContain('Course 1 Algebra');
  });

  it('a 500 in the middle fails the task readably, keeps what earlier pages wrote, writes no half course, and the next run resumes', async () => {
    const data = account(3);
    const { id, fake } = await platform(data, { perPage: 2 });
    fake.faults.push({ match: /courses\/103\/students\/submissions/, status: 500, times: 100 });
    const failed = await sync(id);
    expect(failed).toMatchObject({ status: 'failed', errorKind: 'server_error' });
    expect(failed.error).toMatch(/HTTP 500 to \/api\/v1\/courses\/103\/students\/submissions after \d tries/);
    // Courses 101 and 102 (page 1) are written; 103 (page 2) not at all: no course row, no enrollments.
    expect(await rows(id)).toMatchObject({ courses: 2, enrollments: 6 });
    expect(
      (await db.query(`SELECT count(*) FROM learning.courses WHERE provider_platform_id = $1 AND external_id = '103'`, [id])).rows[0].count,
    ).toBe('0');

    fake.faults.length = 0;
    const before = fake.requests.length;
    const resumed = await sync(id);
    expect(resumed).toMatchObject({ status: 'completed', payload: { resumedFrom: failed.id } });
    expect(resumed.counts).toMatchObject({ coursesCreated: 1, usersSeen: 0 });
    const asked = fake.requests.slice(before).map((r) => r.path);
    expect(asked.some((p) => p.includes('/users'))).toBe(false); // people were done
    expect(asked.filter((p) => p.includes('/accounts/1/courses'))).toEqual([expect.stringContaining('page=2')]);
    expect(await rows(id)).toMatchObject({ courses: 3, enrollments: 9 });
  });

  it('a course the provider no longer has (404 between pages) is skipped and counted: the run completes with the rest', async () => {
    const data = account(3);
    const { id, fake } = await platform(data, { perPage: 2 });
    fake.faults.push({
      match: /courses\/102\//,
      status: 404,
      times: 100,
      body: '{"errors":[{"message":"The specified resource does not exist."}]}',
    });
    const done = await sync(id);
    expect(done).toMatchObject({
      status: 'completed',
      errorKind: 'not_found',
      counts: { coursesSeen: 3, coursesCreated: 2, coursesFailed: 1 },
    });
    expect(done.error).toMatch(/^completed with 1 course not synced: course 102 /);
    expect(await rows(id)).toMatchObject({ courses: 2, enrollments: 6 });
    // Once the provider has it again, the next run writes it and the others count unchanged.
    fake.faults.length = 0;
    const next = await sync(id);
    expect(next).toMatchObject({ status: 'completed', error: null, counts: { coursesCreated: 1, coursesUnchanged: 2, coursesFailed: 0 } });
  });

  it('fails readably for wrong credentials and an unreachable host, changing nothing', async () => {
    const { id, fake } = await platform(account(1));
    fake.token = 'rotated-on-the-canvas-side';
    expect(await sync(id)).toMatchObject({
      status: 'failed',
      errorKind: 'unauthorized',
      error: expect.stringMatching(/refused the access token/),
    });
    await fake.close();
    expect(await sync(id)).toMatchObject({ status: 'failed', errorKind: 'unreachable' });
    expect(await rows(id)).toEqual({ courses: 0, enrollments: 0, milestones: 0, outcomes: 0 });
  });

  it('allows one active run per platform, cancels a running one between courses, refuses disabled platforms', async () => {
    const { id, fake } = await platform(account(3));
    fake.faults.push({ match: /courses\/101\/enrollments/, status: 200, delayMs: 1500, body: '[]' });
    const taskId = await startSync(id);
    const again = await admin.gql(SYNC, { id });
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'SYNC_IN_PROGRESS' });
    for (const api of wrongRoles) expect(codes(await api.gql(CANCEL, { id: taskId }))).toEqual(['FORBIDDEN']);
    const cancel = await admin.gql<{ cancelSyncTask: { task: { cancelRequestedAt: string } } }>(CANCEL, { id: taskId });
    expect(cancel.errors).toBeUndefined();
    expect(cancel.data!.cancelSyncTask.task.cancelRequestedAt).toBeTruthy();
    const ended = await settled(taskId);
    expect(ended.status).toBe('cancelled');
    expect(ended.counts.coursesSeen).toBeLessThan(3);
    const late = await admin.gql(CANCEL, { id: taskId });
    expect(late.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_TRANSITION', from: 'cancelled' });

    await admin.gql(`mutation($id: UUID!) { setProviderPlatformState(id: $id, state: disabled) { previousState } }`, { id });
    const disabled = await admin.gql(SYNC, { id });
    expect(disabled.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'PLATFORM_NOT_ENABLED' });
    const listed = await admin.gql<{ syncTasks: { nodes: { id: string }[] } }>(TASKS, { p: id });
    expect(listed.data!.syncTasks.nodes.map((n) => n.id)).toEqual([taskId]);
  });

  it('is refused to the wrong roles and for unknown, malformed and other tenants’ ids, starting nothing', async () => {
    const { id, fake } = await platform(account(1));
    const foreign = await other.departmentAdmin().then((p) => p.api());
    for (const api of wrongRoles) {
      expect(codes(await api.gql(SYNC, { id }))).toEqual(['FORBIDDEN']);
      expect(codes(await api.gql(TASKS, { p: id }))).toEqual(['FORBIDDEN']);
      expect(codes(await api.gql(MAPPINGS, { p: id }))).toEqual(['FORBIDDEN']);
    }
    expect(codes(await foreign.gql(SYNC, { id }))).toEqual(['NOT_FOUND']);
    expect(codes(await admin.gql(SYNC, { id: randomUUID() }))).toEqual(['NOT_FOUND']);
    expect(codes(await admin.gql(SYNC, { id: '42' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await admin.gql(CANCEL, { id: randomUUID() }))).toEqual(['NOT_FOUND']);
    const tasks = await db.query('SELECT count(*) FROM learning.tasks WHERE provider_platform_id = $1', [id]);
    expect(tasks.rows[0].count).toBe('0');
    expect(fake.requests).toHaveLength(0);
    // Another tenant's administrator sees none of this tenant's tasks.
    const theirs = await foreign.gql<{ syncTasks: { nodes: unknown[] } }>(TASKS, { p: id });
    expect(theirs.data!.syncTasks.nodes).toEqual([]);
  });
});

describe('linkProviderUser and ignoreProviderUser', () => {
  it('links an unmatched person by hand (their enrollments come with the next run) and ignores another; refusals change nothing', async () => {
    const data = account(1);
    data.users.push({ id: 1005, name: 'Teacher test account', login_id: 'teacher-test', email: null });
    const { id } = await platform(data);
    await sync(id);
    const unmatched = await admin.gql<{ providerUserMappings: { nodes: { id: string; externalUserId: string }[] } }>(MAPPINGS, {
      p: id,
      s: 'unmatched',
    });
    const [stranger, teacher] = unmatched.data!.providerUserMappings.nodes.sort((a, b) => a.externalUserId.localeCompare(b.externalUserId));
    expect([stranger!.externalUserId, teacher!.externalUserId]).toEqual(['1004', '1005']);

    for (const api of wrongRoles) {
      expect(codes(await api.gql(LINK, { m: stranger!.id, u: residents[3]!.id }))).toEqual(['FORBIDDEN']);
      expect(codes(await api.gql(IGNORE, { m: teacher!.id }))).toEqual(['FORBIDDEN']);
    }
    const foreignPerson = await other.facility().then((f) => f.resident());
    expect(codes(await admin.gql(LINK, { m: stranger!.id, u: foreignPerson.id }))).toEqual(['NOT_FOUND']);
    expect(codes(await admin.gql(LINK, { m: stranger!.id, u: randomUUID() }))).toEqual(['NOT_FOUND']);
    expect(codes(await admin.gql(LINK, { m: randomUUID(), u: residents[3]!.id }))).toEqual(['NOT_FOUND']);
    expect(codes(await admin.gql(LINK, { m: 'x', u: residents[3]!.id }))).toEqual(['BAD_USER_INPUT']);
    const still = await db.query('SELECT status, user_id FROM learning.provider_user_mappings WHERE id = $1', [stranger!.id]);
    expect(still.rows[0]).toEqual({ status: 'unmatched', user_id: null });

    const linked = await admin.gql<{ linkProviderUser: { mapping: { status: string; matchedBy: string; user: { id: string } } } }>(LINK, {
      m: stranger!.id,
      u: residents[3]!.id,
    });
    expect(linked.data!.linkProviderUser.mapping).toEqual({ status: 'linked', matchedBy: 'admin', user: { id: residents[3]!.id } });
    const twice = await admin.gql(LINK, { m: stranger!.id, u: residents[3]!.id });
    expect(twice.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_IN_STATE' });
    const ignored = await admin.gql<{ ignoreProviderUser: { mapping: { status: string } } }>(IGNORE, { m: teacher!.id });
    expect(ignored.data!.ignoreProviderUser.mapping.status).toBe('ignored');

    const next = await sync(id);
    expect(next.counts).toMatchObject({ enrollmentsCreated: 1, usersUnmatched: 0 });
    const left = await admin.gql<{ providerUserMappings: { nodes: unknown[] } }>(MAPPINGS, { p: id, s: 'unmatched' });
    expect(left.data!.providerUserMappings.nodes).toEqual([]);
  });
});

describe('resuming after a crash (the sync run in this process, as a worker that dies half-way)', () => {
  it('a run killed after a page leaves the task running with its checkpoint; the run that takes it over starts at the next page', async () => {
    const data = account(3);
    const { id, fake } = await platform(data, { perPage: 1 });
    const prisma = new PrismaClient({ adapter: pgAdapter(inject('adminDatabaseUrl'), 'learning', 2, 5000) });
    const ring = keyRing(undefined, { nodeEnv: 'test', variable: 'PROVIDER_SECRET_KEYS', devSecret: DEV_SECRET });
    const base: SyncDeps = {
      prisma,
      events: createEventPublisher('learning'),
      settings: { ring, allowPrivateNetworks: true, timeoutMs: 3000, maxAttempts: 2, backoffMs: 10 },
      directory: identityDirectory(inject('subgraphUrls').identity!, inject('secrets').INTERNAL_JWT_SECRET),
    };
    try {
      // No job: this process runs the task (the subgraph's worker never sees it).
      const task = await withScope(prisma, 'service', (tx) => requestSync(tx, 'service', id, null));
      const crash = new AbortController();
      let checkpoints = 0;
      const killed = runSyncTask(
        {
          ...base,
          afterCheckpoint: (checkpoint) => {
            // Dies once the first page of courses is committed, as a process killed there would.
            if (checkpoint.phase === 'courses' && checkpoint.cursor && ++checkpoints === 1) {
              crash.abort();
              throw new Error('killed');
            }
          },
        },
        task.id,
        crash.signal,
      );
      await expect(killed).rejects.toThrow('killed');
      const left = (await db.query('SELECT status, checkpoint, result FROM learning.tasks WHERE id = $1', [task.id])).rows[0];
      expect(left.status).toBe('running');
      expect(left.checkpoint).toEqual({ phase: 'courses', cursor: expect.stringContaining('page=2') });
      expect(await rows(id)).toMatchObject({ courses: 1 });

      const before = fake.requests.length;
      const resumed = await runSyncTask(base, task.id);
      expect(resumed).toMatchObject({ status: 'completed' });
      expect(resumed!.result).toMatchObject({ usersSeen: 4, coursesCreated: 3, coursesSeen: 3 });
      const asked = fake.requests.slice(before).map((r) => r.path);
      expect(asked.some((p) => p.includes('/users'))).toBe(false);
      expect(asked.filter((p) => p.includes('/accounts/1/courses')).map((p) => new URL(p, 'http://x').searchParams.get('page'))).toEqual([
        '2',
        '3',
      ]);
      expect(await rows(id)).toMatchObject({ courses: 3, enrollments: 9 });
      // A taken-over task that already ended is not run again.
      expect(await runSyncTask(base, task.id)).toBeNull();
    } finally {
      await prisma.$disconnect();
    }
  });
});
