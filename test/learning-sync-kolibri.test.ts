import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from './support/client.ts';
import { startFakeKolibri, type FakeKolibri } from './support/kolibri-server.ts';
import { seed, type SeededPerson, type SignedIn } from './support/seed.ts';

// A Kolibri provider platform end to end, through the gateway: registered with the facility user's
// username and password, its connection tested, synced twice from a local server answering as
// Kolibri's REST API does (session cookie, numbered pages of facility users and summary logs,
// channels as courses), and a run with a wrong password that fails readably.
const REGISTER = `mutation($input: RegisterProviderPlatformInput!) { registerProviderPlatform(input: $input) { providerPlatformId } }`;
const TEST = `mutation($id: UUID!) { testProviderPlatformConnection(id: $id) { ok status accountName message } }`;
const UPDATE = `mutation($id: UUID!, $input: UpdateProviderPlatformInput!) { updateProviderPlatform(id: $id, input: $input) { providerPlatformId } }`;
const SYNC = `mutation($id: UUID!) { syncProviderPlatform(id: $id) { taskId } }`;
const TASK = `query($id: UUID!) { syncTask(id: $id) { status counts error errorKind } }`;
const MAPPINGS = `query($p: UUID!) { providerUserMappings(providerPlatformId: $p, first: 50) { nodes { externalUserId status matchedBy user { id } } } }`;
const MINE = `{ me { id courseEnrollments(first: 10) { nodes { course { name } timeSpentSeconds progress { milestonesCompleted milestonesTotal } } } } }`;

let kolibri: FakeKolibri;
let admin: SignedIn;
let residents: SeededPerson[];
let platformId: string;

type Task = { status: string; counts: Record<string, number>; error: string | null; errorKind: string | null };
async function sync(): Promise<Task> {
  const started = await admin.gql<{ syncProviderPlatform: { taskId: string } }>(SYNC, { id: platformId });
  expect(started.errors).toBeUndefined();
  for (let i = 0; i < 300; i++) {
    const res = await admin.gql<{ syncTask: Task }>(TASK, { id: started.data!.syncProviderPlatform.taskId });
    if (!['pending', 'running'].includes(res.data!.syncTask.status)) return res.data!.syncTask;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('sync did not finish');
}

const log = (id: string, user: string, channel: string, kind: string, seconds: number, progress: number) => ({
  id,
  user,
  content_id: `c-${id}`,
  channel_id: channel,
  kind,
  start_timestamp: '2026-11-01T10:00:00Z',
  end_timestamp: '2026-11-01T10:30:00Z',
  completion_timestamp: progress >= 1 ? '2026-11-01T10:30:00Z' : null,
  time_spent: seconds,
  progress,
});

beforeAll(async () => {
  const tenant = await seed.tenant();
  const facility = await tenant.facility();
  residents = await Promise.all([facility.resident(), facility.resident()]);
  admin = await (await tenant.departmentAdmin()).api();
  kolibri = await startFakeKolibri({
    facility: { id: 'f1', name: 'North Facility Learning Center' },
    password: 'kolibri-pass',
    learners: [
      { id: 'u0', username: residents[0]!.username, full_name: 'Learner Zero', id_number: null }, // matched by username
      { id: 'u1', username: 'k-learner-1', full_name: 'Learner One', id_number: residents[1]!.id }, // by external id
      { id: 'u2', username: 'stranger', full_name: 'Nobody Known', id_number: null },
    ],
    channels: [
      { id: 'ch1', name: 'Khan Academy (English)', description: 'Math and science', total_resource_count: 3 },
      { id: 'ch2', name: 'Reading Basics', description: 'Literacy', total_resource_count: 1 },
    ],
    logs: [
      log('l1', 'u0', 'ch1', 'video', 1200, 1),
      log('l2', 'u0', 'ch1', 'exercise', 600, 0.5),
      log('l3', 'u1', 'ch1', 'video', 300, 0.2),
      log('l4', 'u2', 'ch1', 'video', 100, 1),
      log('l5', 'u0', 'ch2', 'html5', 120, 1),
    ],
  });
  const res = await admin.gql<{ registerProviderPlatform: { providerPlatformId: string } }>(REGISTER, {
    input: {
      name: `Kolibri ${randomBytes(4).toString('hex')}`,
      type: 'kolibri',
      baseUrl: kolibri.url,
      accountId: 'f1',
      credentials: { oauthClientId: 'sync-admin', oauthClientSecret: 'kolibri-pass' },
    },
  });
  expect(res.errors).toBeUndefined();
  platformId = res.data!.registerProviderPlatform.providerPlatformId;
});
afterAll(() => kolibri?.close());

describe('a Kolibri platform through the gateway (local server answering as Kolibri does)', () => {
  it('tests the connection: signs in and names the facility', async () => {
    const res = await admin.gql<{ testProviderPlatformConnection: Record<string, unknown> }>(TEST, { id: platformId });
    expect(res.errors).toBeUndefined();
    expect(res.data!.testProviderPlatformConnection).toMatchObject({
      ok: true,
      status: 'ok',
      accountName: 'North Facility Learning Center',
    });
    expect(kolibri.requests).toContain('POST /api/auth/session/');
  });

  it('syncs people, channels as courses, enrollments and progress; a second run changes nothing', async () => {
    const first = await sync();
    expect(first.error).toBeNull();
    expect(first.status).toBe('completed');
    expect(first.counts).toMatchObject({
      usersSeen: 3,
      mappingsCreated: 3,
      mappingsMatched: 2,
      usersUnmatched: 1,
      coursesSeen: 2,
      coursesCreated: 2,
      enrollmentsCreated: 3, // ch1: u0 and u1; ch2: u0 (u2 is nobody known)
      enrollmentsSkipped: 1,
    });
    expect(first.counts.milestonesCreated).toBeGreaterThan(0);
    // Users came in numbered pages of two.
    expect(kolibri.requests.filter((r) => r.startsWith('GET /api/auth/facilityuser/'))).toHaveLength(2);

    const mappings = await admin.gql<{
      providerUserMappings: { nodes: { externalUserId: string; status: string; matchedBy: string | null; user: { id: string } | null }[] };
    }>(MAPPINGS, { p: platformId });
    const listed = mappings.data!.providerUserMappings.nodes.map((m) => [m.externalUserId, m.status, m.matchedBy, m.user?.id ?? null]);
    expect(listed.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['u0', 'matched', 'username', residents[0]!.id],
      ['u1', 'matched', 'external_id', residents[1]!.id],
      ['u2', 'unmatched', null, null],
    ]);

    const mine = await (
      await residents[0]!.api()
    ).gql<{
      me: {
        courseEnrollments: {
          nodes: {
            course: { name: string };
            timeSpentSeconds: number;
            progress: { milestonesCompleted: number; milestonesTotal: number };
          }[];
        };
      };
    }>(MINE);
    expect(mine.errors).toBeUndefined();
    const byName = Object.fromEntries(mine.data!.me.courseEnrollments.nodes.map((n) => [n.course.name, n]));
    expect(byName['Khan Academy (English)']).toMatchObject({ timeSpentSeconds: 1800 });
    expect(byName['Reading Basics']).toMatchObject({ timeSpentSeconds: 120 });

    const second = await sync();
    expect(second.status).toBe('completed');
    expect(Object.entries(second.counts).filter(([k, v]) => /Created|Updated|Matched/.test(k) && v !== 0)).toEqual([]);
    expect(second.counts).toMatchObject({ coursesUnchanged: 2, enrollmentsUnchanged: 3, mappingsUnchanged: 3, usersUnmatched: 1 });
  });

  it('a wrong password fails the run readably and changes nothing', async () => {
    const changed = await admin.gql(UPDATE, {
      id: platformId,
      input: { credentials: { oauthClientId: 'sync-admin', oauthClientSecret: 'wrong-password' } },
    });
    expect(changed.errors).toBeUndefined();
    const test = await admin.gql<{ testProviderPlatformConnection: { ok: boolean; status: string } }>(TEST, { id: platformId });
    expect(test.data!.testProviderPlatformConnection).toMatchObject({ ok: false, status: 'unauthorized' });
    const failed = await sync();
    expect(failed).toMatchObject({ status: 'failed', errorKind: 'unauthorized' });
    expect(failed.error).toMatch(/Kolibri/);
    const mine = await (await residents[0]!.api()).gql<{ me: { courseEnrollments: { nodes: unknown[] } } }>(MINE);
    expect(mine.data!.me.courseEnrollments.nodes).toHaveLength(2);
    expect(codes(await (await residents[0]!.api()).gql(SYNC, { id: platformId }))).toEqual(['FORBIDDEN']);
  });
});
