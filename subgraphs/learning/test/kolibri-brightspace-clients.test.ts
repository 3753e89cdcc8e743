import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { brightspaceClient } from '../src/providers/brightspace.ts';
import type { HttpPolicy } from '../src/providers/http.ts';
import { failure } from './provider-failure.ts';
import { kolibriClient } from '../src/providers/kolibri.ts';

// The Kolibri and Brightspace clients against local servers that answer as those APIs document
// (Kolibri's session login and numbered pages; Brightspace's OAuth 2 token endpoint, bookmarked
// paged result sets and object list pages), with the faults the Canvas client is tested for.
const policy: HttpPolicy = { timeoutMs: 500, maxAttempts: 3, backoffMs: 10, allowPrivateNetworks: true };
type Handler = (req: IncomingMessage, url: URL, body: string, res: ServerResponse) => void;
let server: Server | undefined;
const requests: string[] = [];
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  requests.length = 0;
});

async function serve(handler: Handler): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      requests.push(`${req.method} ${url.pathname}${url.search}`);
      handler(req, url, body, res);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));

describe('Brightspace (Valence) client', () => {
  const users = Array.from({ length: 5 }, (_, i) => ({
    UserId: 100 + i,
    UserName: `learner${i}`,
    ExternalEmail: `learner${i}@school.example.org`,
    OrgDefinedId: `SIS-${i}`,
    FirstName: 'Learner',
    LastName: String(i),
  }));
  let tokensIssued = 0;
  let faults: { match: RegExp; status: number; headers?: Record<string, string>; times: number }[] = [];

  async function brightspace(secret = 'client-secret') {
    tokensIssued = 0;
    faults = [];
    const url = await serve((req, url, body, res) => {
      if (url.pathname === '/core/connect/token') {
        const form = new URLSearchParams(body);
        if (form.get('grant_type') !== 'client_credentials' || form.get('client_secret') !== 'client-secret')
          return json(res, 400, { error: 'invalid_client' });
        tokensIssued++;
        return json(res, 200, { access_token: `token-${tokensIssued}`, token_type: 'Bearer', expires_in: 3600 });
      }
      const fault = faults.find((f) => f.match.test(url.pathname) && f.times > 0);
      if (fault) return (fault.times--, json(res, fault.status, {}, fault.headers));
      if (req.headers.authorization !== `Bearer token-${tokensIssued}`) return json(res, 401, {});
      if (url.pathname === '/d2l/api/lp/1.43/organization/info')
        return json(res, 200, { Identifier: '6606', Name: 'State College', TimeZone: 'UTC' });
      if (url.pathname === '/d2l/api/lp/1.43/users/') {
        const start = Number(url.searchParams.get('bookmark') ?? 0);
        const items = users.slice(start, start + 2);
        const more = start + 2 < users.length;
        return json(res, 200, { PagingInfo: { Bookmark: more ? String(start + 2) : null, HasMoreItems: more }, Items: items });
      }
      if (url.pathname === '/d2l/api/lp/1.43/orgstructure/6606/descendants/paged/') {
        expect(url.searchParams.get('ouTypeId')).toBe('3');
        return json(res, 200, {
          PagingInfo: { Bookmark: null, HasMoreItems: false },
          Items: [
            { Identifier: 7001, Name: 'Composition I', Code: 'ENG-101', Type: { Id: 3, Code: 'Course Offering', Name: 'Course Offering' } },
          ],
        });
      }
      if (url.pathname === '/d2l/api/lp/1.43/enrollments/orgUnits/7001/users/')
        return json(res, 200, {
          PagingInfo: { Bookmark: null, HasMoreItems: false },
          Items: [
            { User: { Identifier: '100' }, Role: { Id: 110, Name: 'Learner' } },
            { User: { Identifier: '101' }, Role: { Id: 110, Name: 'Learner' } },
          ],
        });
      if (url.pathname === '/d2l/api/le/1.67/7001/grades/')
        return json(res, 200, [
          { Id: 1, Name: 'Essay 1', GradeType: 'Numeric' },
          { Id: 2, Name: 'Essay 2', GradeType: 'Numeric' },
          { Id: 3, Name: 'Essays', GradeType: 'Category' },
        ]);
      if (url.pathname === '/d2l/api/le/1.67/7001/grades/final/values/')
        return url.searchParams.get('page') === '2'
          ? json(res, 200, { Objects: [{ User: { Identifier: '101' }, GradeValue: null }], Next: null })
          : json(res, 200, {
              Objects: [
                {
                  User: { Identifier: '100' },
                  GradeValue: { DisplayedGrade: 'B+', PointsNumerator: 87, LastModified: '2026-11-20T10:00:00.000Z' },
                },
              ],
              Next: `${url.origin}/d2l/api/le/1.67/7001/grades/final/values/?page=2`,
            });
      json(res, 404, {});
    });
    return brightspaceClient(
      { baseUrl: url, orgUnitId: '6606', clientId: 'pathway', clientSecret: secret, tokenUrl: `${url}/core/connect/token` },
      policy,
    );
  }

  it('signs in with client credentials, names the organization, and pages users by bookmark', async () => {
    const client = await brightspace();
    expect(await client.testConnection()).toEqual({ accountName: 'State College' });
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page = await client.users(cursor);
      pages.push(page.items.map((u) => u.externalId));
      cursor = page.next;
    } while (cursor);
    expect(pages).toEqual([['100', '101'], ['102', '103'], ['104']]);
    expect((await client.users('4')).items[0]).toEqual({
      externalId: '104',
      username: 'learner4',
      email: 'learner4@school.example.org',
      name: 'Learner 4',
      sisId: 'SIS-4',
    });
    expect(tokensIssued).toBe(1); // one token for every call
  });

  it('reads course offerings, the classlist and final grades (object list pages) as progress', async () => {
    const client = await brightspace();
    const courses = await client.courses(null);
    expect(courses).toMatchObject({ next: null, items: [{ externalId: '7001', name: 'Composition I', altName: 'ENG-101' }] });
    const progress = await client.courseProgress('7001');
    expect(progress.totalMilestones).toBe(2);
    expect(progress.enrollments.map((e) => [e.userExternalId, e.grade])).toEqual([
      ['100', 'B+'],
      ['101', null],
    ]);
    expect(progress.milestones.map((m) => m.type)).toEqual(['enrollment', 'enrollment', 'grade_received']);
  });

  it('says so for a wrong client secret, fetches a new token once after a 401, retries 429 and 5xx', async () => {
    const wrong = await brightspace('wrong-secret');
    expect(await failure(wrong.testConnection())).toMatchObject({
      kind: 'unauthorized',
      message: expect.stringMatching(/OAuth client id and secret/),
    });
    await new Promise<void>((resolve) => server!.close(() => resolve()));

    const client = await brightspace();
    await client.testConnection();
    tokensIssued++; // the server forgets the token it gave: the next call gets a 401, then a new token
    expect(await client.testConnection()).toEqual({ accountName: 'State College' });
    faults.push({ match: /organization/, status: 429, headers: { 'retry-after': '0' }, times: 1 });
    faults.push({ match: /orgstructure/, status: 503, times: 1 });
    expect(await client.testConnection()).toEqual({ accountName: 'State College' });
    expect((await client.courses(null)).items).toHaveLength(1);
    faults.push({ match: /orgstructure/, status: 500, times: 10 });
    expect(await failure(client.courses(null))).toMatchObject({ kind: 'server_error' });
    expect(await failure(client.courseProgress('9999'))).toMatchObject({ kind: 'not_found' });
  });
});

describe('Kolibri client', () => {
  const learners = Array.from({ length: 3 }, (_, i) => ({
    id: `u${i}`,
    username: `learner${i}`,
    full_name: `Learner ${i}`,
    facility: 'f1',
    id_number: `ID-${i}`,
  }));

  async function kolibri(password = 'kolibri-pass') {
    const url = await serve((req, url, body, res) => {
      if (url.pathname === '/api/auth/session/' && req.method === 'POST') {
        const login = JSON.parse(body) as { username: string; password: string; facility: string };
        if (login.password !== 'kolibri-pass' || login.facility !== 'f1') return json(res, 401, [{ id: 'INVALID_CREDENTIALS' }]);
        return json(res, 200, { id: 'admin-id', username: login.username }, { 'set-cookie': 'kolibri=session-1; Path=/; HttpOnly' });
      }
      if (req.headers.cookie !== 'kolibri=session-1') return json(res, 403, { detail: 'Authentication credentials were not provided.' });
      if (url.pathname === '/api/auth/facility/f1/') return json(res, 200, { id: 'f1', name: 'North Facility Learning Center' });
      if (url.pathname === '/api/auth/facilityuser/') {
        const page = Number(url.searchParams.get('page') ?? 1);
        const size = Number(url.searchParams.get('page_size') ?? 100);
        expect(url.searchParams.get('member_of')).toBe('f1');
        const results = learners.slice((page - 1) * 2, page * 2);
        void size;
        return json(res, 200, {
          count: learners.length,
          next: page * 2 < learners.length ? `${url.origin}/api/auth/facilityuser/?member_of=f1&page=${page + 1}&page_size=2` : null,
          previous: null,
          results,
        });
      }
      if (url.pathname === '/api/content/channel/')
        return json(res, 200, [
          {
            id: 'ch1',
            name: 'Khan Academy (English)',
            description: 'Math and science',
            thumbnail: 'data:image/png;base64,AAAA',
            total_resource_count: 3,
          },
        ]);
      if (url.pathname === '/api/logger/contentsummarylog/') {
        return json(res, 200, {
          count: 3,
          next: null,
          previous: null,
          results: [
            {
              id: 'l1',
              user: 'u0',
              content_id: 'c1',
              channel_id: 'ch1',
              kind: 'video',
              start_timestamp: '2026-11-01T10:00:00Z',
              end_timestamp: '2026-11-01T10:20:00Z',
              completion_timestamp: '2026-11-01T10:20:00Z',
              time_spent: 1200.4,
              progress: 1,
            },
            {
              id: 'l2',
              user: 'u0',
              content_id: 'c2',
              channel_id: 'ch1',
              kind: 'exercise',
              start_timestamp: '2026-11-02T10:00:00Z',
              end_timestamp: '2026-11-02T10:10:00Z',
              completion_timestamp: null,
              time_spent: 600,
              progress: 0.5,
            },
            {
              id: 'l3',
              user: 'u1',
              content_id: 'c1',
              channel_id: 'ch1',
              kind: 'video',
              start_timestamp: '2026-11-03T10:00:00Z',
              end_timestamp: '2026-11-03T10:05:00Z',
              completion_timestamp: null,
              time_spent: 300,
              progress: 0.2,
            },
          ],
        });
      }
      json(res, 404, { detail: 'Not found.' });
    });
    return kolibriClient({ baseUrl: url, facilityId: 'f1', username: 'admin', password }, policy);
  }

  it('opens a session, names the facility, and pages facility users by number', async () => {
    const client = await kolibri();
    expect(await client.testConnection()).toEqual({ accountName: 'North Facility Learning Center' });
    const first = await client.users(null);
    expect(first.items.map((u) => u.externalId)).toEqual(['u0', 'u1']);
    const second = await client.users(first.next);
    expect(second).toMatchObject({ next: null, items: [{ externalId: 'u2', username: 'learner2', name: 'Learner 2', sisId: 'ID-2' }] });
    expect(requests.filter((r) => r.startsWith('POST /api/auth/session/'))).toHaveLength(1);
  });

  it('reads channels as courses and content summary logs as progress, time spent and milestones', async () => {
    const client = await kolibri();
    expect((await client.courses(null)).items).toEqual([
      expect.objectContaining({ externalId: 'ch1', name: 'Khan Academy (English)', thumbnailUrl: null }),
    ]);
    const progress = await client.courseProgress('ch1');
    expect(progress.totalMilestones).toBe(3);
    expect(progress.enrollments).toEqual([
      expect.objectContaining({
        userExternalId: 'u0',
        totalActivitySeconds: 1800,
        lastActivityAt: new Date('2026-11-02T10:10:00Z'),
        completed: false,
      }),
      expect.objectContaining({ userExternalId: 'u1', totalActivitySeconds: 300 }),
    ]);
    expect(progress.milestones.map((m) => [m.type, m.completed])).toEqual([
      ['assignment_submission', true],
      ['quiz_submission', false],
      ['assignment_submission', false],
    ]);
    expect(await failure(client.courseProgress('gone'))).toMatchObject({ kind: 'not_found' });
  });

  it('says so for a wrong password and an unreachable host', async () => {
    const wrong = await kolibri('wrong');
    expect(await failure(wrong.testConnection())).toMatchObject({
      kind: 'unauthorized',
      message: expect.stringMatching(/username and password/),
    });
    const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const gone = kolibriClient({ baseUrl: url, facilityId: 'f1', username: 'admin', password: 'kolibri-pass' }, policy);
    expect(await failure(gone.testConnection())).toMatchObject({ kind: 'unreachable' });
  });
});
