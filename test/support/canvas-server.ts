// A local HTTP server that answers as Canvas's REST API documents (the parts learning uses):
// Bearer tokens (401 with Canvas's error body otherwise), `per_page`/`page` pagination with a
// `Link` header, `X-Rate-Limit-Remaining`, and scripted faults (429 + Retry-After, Canvas's 403
// "Rate Limit Exceeded", 500s, malformed pages, slow answers) for the client and sync tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CanvasCourse {
  id: number;
  name: string;
  course_code?: string;
  public_description?: string | null;
  start_at?: string | null;
  end_at?: string | null;
  workflow_state?: string;
}
export interface CanvasUser {
  id: number;
  name: string;
  login_id?: string | null;
  email?: string | null;
  sis_user_id?: string | null;
}
export interface CanvasEnrollment {
  id: number;
  user_id: number;
  course_id: number;
  type: 'StudentEnrollment';
  enrollment_state: string;
  created_at: string;
  last_activity_at?: string | null;
  total_activity_time?: number;
  grades?: { final_grade?: string | null; final_score?: number | null };
}
export interface CanvasAssignment {
  id: number;
  name: string;
  published: boolean;
  submission_types: string[];
}
export interface CanvasSubmission {
  id: number;
  assignment_id: number;
  user_id: number;
  workflow_state: string;
  submission_type?: string | null;
  submitted_at?: string | null;
  graded_at?: string | null;
}

export interface Fault {
  /** Which requests (path and query) it answers. */
  match: RegExp;
  /** How many matching requests it answers before it is used up (default 1). */
  times?: number;
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Answer only after this long (a slow server, for timeouts). */
  delayMs?: number;
}

export interface CanvasData {
  accountId: string;
  accountName: string;
  courses: CanvasCourse[];
  users: CanvasUser[];
  enrollments: CanvasEnrollment[];
  assignments: Record<number, CanvasAssignment[]>;
  submissions: Record<number, CanvasSubmission[]>;
}

export interface FakeCanvas {
  url: string;
  data: CanvasData;
  token: string;
  /** Every request seen: path with query, when, and its Authorization header. */
  requests: { path: string; at: number; authorization: string | undefined }[];
  faults: Fault[];
  /** `X-Rate-Limit-Remaining` sent with every answer. */
  rateLimitRemaining: number;
  /** The server's own cap on `per_page` (Canvas caps it too), so small data spans several pages. */
  maxPerPage: number;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

export async function startFakeCanvas(data: CanvasData, token = 'canvas-test-token'): Promise<FakeCanvas> {
  const fake: FakeCanvas = {
    url: '',
    data,
    token,
    requests: [],
    faults: [],
    rateLimitRemaining: 700,
    maxPerPage: 100,
    close: async () => {},
  };

  function page<T>(req: IncomingMessage, res: ServerResponse, url: URL, rows: T[]) {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 10), fake.maxPerPage);
    const current = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(rows.length / perPage));
    const link = (n: number, rel: string) => {
      const target = new URL(url);
      target.searchParams.set('page', String(n));
      return `<${fake.url}${target.pathname}${target.search}>; rel="${rel}"`;
    };
    const links = [link(current, 'current'), link(1, 'first'), link(last, 'last')];
    if (current < last) links.push(link(current + 1, 'next'));
    if (current > 1) links.push(link(current - 1, 'prev'));
    json(res, 200, rows.slice((current - 1) * perPage, current * perPage), { link: links.join(',') });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://canvas.local');
    const path = `${url.pathname}${url.search}`;
    fake.requests.push({ path, at: Date.now(), authorization: req.headers.authorization });
    res.setHeader('x-rate-limit-remaining', String(fake.rateLimitRemaining));
    const fault = fake.faults.find((f) => f.match.test(decodeURIComponent(path)) && (f.times ?? 1) > 0);
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      const answer = () => {
        res.writeHead(fault.status ?? 500, { 'content-type': 'application/json', ...fault.headers });
        res.end(fault.body ?? JSON.stringify({ errors: [{ message: 'An error occurred.' }] }));
      };
      if (fault.delayMs) setTimeout(answer, fault.delayMs);
      else answer();
      return;
    }
    if (req.headers.authorization !== `Bearer ${fake.token}`)
      return json(res, 401, { errors: [{ message: 'Invalid access token.' }] }, { 'www-authenticate': 'Bearer realm="canvas-lms"' });
    const d = fake.data;
    let m: RegExpExecArray | null;
    if ((m = /^\/api\/v1\/accounts\/([^/]+)$/.exec(url.pathname)))
      return m[1] === d.accountId
        ? json(res, 200, { id: Number(d.accountId), name: d.accountName })
        : json(res, 404, { errors: [{ message: 'The specified resource does not exist.' }] });
    if ((m = /^\/api\/v1\/accounts\/([^/]+)\/courses$/.exec(url.pathname)) && m[1] === d.accountId) return page(req, res, url, d.courses);
    if ((m = /^\/api\/v1\/accounts\/([^/]+)\/users$/.exec(url.pathname)) && m[1] === d.accountId) return page(req, res, url, d.users);
    if ((m = /^\/api\/v1\/courses\/(\d+)\/enrollments$/.exec(url.pathname)))
      return page(
        req,
        res,
        url,
        d.enrollments.filter((e) => e.course_id === Number(m![1])),
      );
    if ((m = /^\/api\/v1\/courses\/(\d+)\/assignments$/.exec(url.pathname))) return page(req, res, url, d.assignments[Number(m[1])] ?? []);
    if ((m = /^\/api\/v1\/courses\/(\d+)\/students\/submissions$/.exec(url.pathname)))
      return page(req, res, url, d.submissions[Number(m[1])] ?? []);
    json(res, 404, { errors: [{ message: 'The specified resource does not exist.' }] });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

/** A Canvas account with `courses` courses, `students` students each enrolled in every course, `assignments` per course. */
export function canvasData(options: { courses: number; students: number; assignments: number; accountId?: string }): CanvasData {
  const data: CanvasData = {
    accountId: options.accountId ?? '1',
    accountName: 'Test Department of Corrections',
    courses: [],
    users: [],
    enrollments: [],
    assignments: {},
    submissions: {},
  };
  for (let u = 1; u <= options.students; u++)
    data.users.push({
      id: 1000 + u,
      name: `Student ${u}`,
      login_id: `student${u}`,
      email: `student${u}@canvas.example.org`,
      sis_user_id: `SIS-${u}`,
    });
  let enrollmentId = 5000;
  for (let c = 1; c <= options.courses; c++) {
    const id = 100 + c;
    data.courses.push({
      id,
      name: `Course ${c} Algebra`,
      course_code: `ALG-${c}`,
      public_description: `Course ${c} about algebra`,
      workflow_state: 'available',
    });
    data.assignments[id] = [];
    data.submissions[id] = [];
    for (let a = 1; a <= options.assignments; a++)
      data.assignments[id]!.push({
        id: id * 1000 + a,
        name: `Assignment ${a}`,
        published: true,
        submission_types: a % 2 ? ['online_upload'] : ['online_quiz'],
      });
    for (const user of data.users) {
      data.enrollments.push({
        id: ++enrollmentId,
        user_id: user.id,
        course_id: id,
        type: 'StudentEnrollment',
        enrollment_state: 'active',
        created_at: '2026-09-01T12:00:00Z',
        last_activity_at: '2026-10-01T12:00:00Z',
        total_activity_time: 3600,
        grades: { final_grade: null, final_score: null },
      });
    }
  }
  return data;
}

/** A submission by `userId` of assignment `index` (1-based) of course `courseId`; graded when a grade is given. */
export function submit(data: CanvasData, courseId: number, userId: number, index: number, graded = false): CanvasSubmission {
  const assignment = data.assignments[courseId]![index - 1]!;
  const submission: CanvasSubmission = {
    id: assignment.id * 10_000 + userId,
    assignment_id: assignment.id,
    user_id: userId,
    workflow_state: graded ? 'graded' : 'submitted',
    submission_type: assignment.submission_types[0] ?? null,
    submitted_at: '2026-10-02T12:00:00Z',
    graded_at: graded ? '2026-10-03T12:00:00Z' : null,
  };
  data.submissions[courseId]!.push(submission);
  return submission;
}
