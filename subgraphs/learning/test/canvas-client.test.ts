import { afterEach, describe, expect, it } from 'vitest';
import { canvasClient, nextLink } from '../src/providers/canvas.ts';
import { backoffDelay, retryAfterMs, type HttpPolicy } from '../src/providers/http.ts';
import { failure } from './provider-failure.ts';
import { canvasData, startFakeCanvas, submit, type FakeCanvas } from '../../../test/support/canvas-server.ts';

// The Canvas client against a local server that answers as Canvas documents.
const policy: HttpPolicy = { timeoutMs: 500, maxAttempts: 3, backoffMs: 10, allowPrivateNetworks: true };
let fake: FakeCanvas | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function client(
  options: Partial<HttpPolicy> = {},
  data = canvasData({ courses: 3, students: 2, assignments: 2 }),
  token = 'canvas-test-token',
) {
  fake = await startFakeCanvas(data);
  return canvasClient({ baseUrl: fake.url, accountId: data.accountId }, token, { ...policy, ...options });
}

describe('Canvas client', () => {
  it('tests the connection with the Bearer token and names the account', async () => {
    const canvas = await client();
    expect(await canvas.testConnection()).toEqual({ accountName: 'Test Department of Corrections' });
    expect(fake!.requests).toEqual([expect.objectContaining({ path: '/api/v1/accounts/1', authorization: 'Bearer canvas-test-token' })]);
  });

  it('follows the Link header page by page (per_page 100), the next link being the resume cursor', async () => {
    const canvas = await client({}, canvasData({ courses: 250, students: 0, assignments: 0 }));
    const pages = [];
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page = await canvas.courses(cursor);
      pages.push(page.items.length);
      cursor = page.next;
    }
    expect(pages).toEqual([100, 100, 50]);
    expect(fake!.requests.map((r) => new URL(r.path, 'http://x').searchParams.get('page'))).toEqual([null, '2', '3']);
    const resumed = await canvas.courses(`${fake!.url}/api/v1/accounts/1/courses?per_page=100&page=3`);
    expect(resumed).toMatchObject({ next: null });
    expect(resumed.items[0]).toMatchObject({ externalId: '301', name: 'Course 201 Algebra', altName: 'ALG-201' });
  });

  it('waits out a 429 for its Retry-After, and Canvas’s own 403 "Rate Limit Exceeded"', async () => {
    const canvas = await client();
    fake!.faults.push({ match: /courses/, status: 429, headers: { 'retry-after': '1' } });
    fake!.faults.push({ match: /users/, status: 403, body: '403 Forbidden (Rate Limit Exceeded)' });
    const started = Date.now();
    expect((await canvas.courses(null)).items).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect((await canvas.users(null)).items).toHaveLength(2);
    expect(fake!.requests).toHaveLength(4);
  });

  it('slows down when X-Rate-Limit-Remaining runs low', async () => {
    const canvas = await client({ backoffMs: 150 });
    fake!.rateLimitRemaining = 12.5;
    const started = Date.now();
    await canvas.courses(null);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290); // paused 2 × backoff before handing the page on
  });

  it('retries a 500 and gives a readable error when it persists', async () => {
    const canvas = await client();
    fake!.faults.push({ match: /courses/, status: 500 });
    expect((await canvas.courses(null)).items).toHaveLength(3);
    fake!.faults.push({ match: /courses/, status: 502, times: 5 });
    const error = await failure(canvas.courses(null));
    expect(error).toMatchObject({
      kind: 'server_error',
      message: expect.stringContaining('HTTP 502 to /api/v1/accounts/1/courses after 3 tries'),
    });
  });

  it('says so for wrong credentials (no retry), a missing account, an unreachable host and a timeout', async () => {
    const wrong = await client({}, undefined, 'expired-token');
    expect(await failure(wrong.testConnection())).toMatchObject({
      kind: 'unauthorized',
      message: expect.stringMatching(/refused the access token/),
    });
    expect(fake!.requests).toHaveLength(1);
    await fake!.close();

    await client();
    const otherAccount = canvasClient({ baseUrl: fake!.url, accountId: '999' }, 'canvas-test-token', policy);
    expect(await failure(otherAccount.testConnection())).toMatchObject({ kind: 'not_found' });
    const url = fake!.url;
    await fake!.close();
    fake = undefined;
    const gone = canvasClient({ baseUrl: url, accountId: '1' }, 'canvas-test-token', policy);
    expect(await failure(gone.testConnection())).toMatchObject({ kind: 'unreachable', message: expect.stringContaining('ECONNREFUSED') });

    const slow = await client({ timeoutMs: 100, maxAttempts: 2 });
    fake!.faults.push({ match: /accounts/, delayMs: 400, status: 200, body: '{}', times: 2 });
    expect(await failure(slow.testConnection())).toMatchObject({ kind: 'timeout', message: expect.stringContaining('within 100 ms') });
  });

  it('refuses malformed answers, Links to other hosts (keeping the token home) and private addresses', async () => {
    const canvas = await client();
    fake!.faults.push({ match: /courses/, status: 200, body: '<html>maintenance</html>' });
    expect(await failure(canvas.courses(null))).toMatchObject({ kind: 'malformed', message: expect.stringContaining('not JSON') });
    fake!.faults.push({ match: /courses/, status: 200, body: JSON.stringify([{ id: 1, name: '' }]) });
    expect(await failure(canvas.courses(null))).toMatchObject({ kind: 'malformed', message: expect.stringContaining('0.name') });
    expect(await failure(canvas.courses('https://evil.example.org/api/v1/accounts/1/courses?page=2'))).toMatchObject({ kind: 'malformed' });
    expect(fake!.requests.some((r) => r.path.includes('evil'))).toBe(false);

    const strict = canvasClient({ baseUrl: fake!.url, accountId: '1' }, 'canvas-test-token', { ...policy, allowPrivateNetworks: false });
    expect(await failure(strict.testConnection())).toMatchObject({ kind: 'refused_address' });
  });

  it('reads a course’s enrollments, assignments and submissions as milestones', async () => {
    const data = canvasData({ courses: 1, students: 2, assignments: 2 });
    submit(data, 101, 1001, 1); // an upload
    submit(data, 101, 1001, 2, true); // a quiz, graded
    data.enrollments[0]!.grades = { final_grade: 'B+' };
    data.enrollments[1]!.enrollment_state = 'completed';
    const canvas = await client({}, data);
    const progress = await canvas.courseProgress('101');
    expect(progress.totalMilestones).toBe(2);
    expect(progress.enrollments.map((e) => [e.userExternalId, e.grade, e.completed, e.totalActivitySeconds])).toEqual([
      ['1001', 'B+', false, 3600],
      ['1002', null, true, 3600],
    ]);
    expect(progress.milestones.map((m) => [m.userExternalId, m.type])).toEqual([
      ['1001', 'enrollment'],
      ['1002', 'enrollment'],
      ['1001', 'assignment_submission'],
      ['1001', 'quiz_submission'],
      ['1001', 'grade_received'],
    ]);
  });
});

describe('HTTP helpers', () => {
  it('reads Link headers, Retry-After in seconds or as a date, and jitters backoff within its bound', () => {
    expect(nextLink('<https://c/x?page=1>; rel="current",<https://c/x?page=2>; rel="next",<https://c/x?page=9>; rel="last"')).toBe(
      'https://c/x?page=2',
    );
    expect(nextLink('<https://c/x?page=1>; rel="first"')).toBeNull();
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(backoffDelay({ backoffMs: 100 }, 3, () => 0.999)).toBeLessThanOrEqual(400);
    expect(backoffDelay({ backoffMs: 100 }, 3, () => 0)).toBe(0);
  });
});
