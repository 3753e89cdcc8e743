import { z } from 'zod';
import { answerOf } from './answers.ts';
import { ProviderError } from './errors.ts';
import { providerRequest, sleep, type HttpPolicy, type HttpResponse } from './http.ts';
import type { CourseProgress, MilestoneType, Page, ProviderClient, ProviderCourse, ProviderUser } from './types.ts';

/**
 * Canvas LMS REST client (canvas_oss, canvas_cloud), from Canvas's public API documentation:
 * `Authorization: Bearer <token>`; lists paginated by the `Link` header (`rel="next"`, followed as
 * given, `per_page` up to 100); throttling by the `X-Rate-Limit-Remaining` bucket, a 403 "Rate
 * Limit Exceeded" (Canvas's own answer) or a 429 with `Retry-After`. Ids may come as numbers or,
 * with the string-ids media type, as strings: both are read as strings.
 */
const PER_PAGE = 100;
/** Below this much left in Canvas's request bucket, pause before the next call so it can refill. */
const LOW_BUCKET = 100;

const id = z.union([z.number().int(), z.string().min(1)]).transform(String);
const date = z.iso
  .datetime({ offset: true })
  .nullish()
  .transform((v) => (v ? new Date(v) : null));
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? null);

const accountSchema = z.looseObject({ id, name: z.string() });
const courseSchema = z.looseObject({
  id,
  name: z.string().min(1),
  course_code: text,
  public_description: text,
  image_download_url: text,
  start_at: date,
  end_at: date,
});
const userSchema = z.looseObject({ id, name: text, login_id: text, email: text, sis_user_id: text });
const enrollmentSchema = z.looseObject({
  id,
  user_id: id,
  enrollment_state: z.string(),
  created_at: date,
  last_activity_at: date,
  total_activity_time: z.number().nonnegative().nullish(),
  grades: z.looseObject({ final_grade: text, final_score: z.number().nullish() }).nullish(),
});
const assignmentSchema = z.looseObject({ id, published: z.boolean().nullish(), submission_types: z.array(z.string()).nullish() });
const submissionSchema = z.looseObject({
  id,
  assignment_id: id,
  user_id: id,
  workflow_state: z.string(),
  submission_type: text,
  submitted_at: date,
  graded_at: date,
});

/** The `rel="next"` target of an RFC 8288 Link header, if any. */
export function nextLink(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return null;
  for (const part of value.split(',')) {
    const match = /<([^>]+)>\s*;(.*)/.exec(part.trim());
    if (match && /\brel="?([^";]*\s)?next(\s[^";]*)?"?/.test(match[2]!)) return match[1]!;
  }
  return null;
}

const throttled = (res: HttpResponse) => res.status === 429 || (res.status === 403 && /rate limit exceeded/i.test(res.body));

export function canvasClient(platform: { baseUrl: string; accountId: string }, token: string, policy: HttpPolicy): ProviderClient {
  const base = new URL(platform.baseUrl);
  const account = encodeURIComponent(platform.accountId);

  /** One page at `target` (an API path, or a `next` link of an earlier page), validated item by item. */
  async function get<T>(target: string, schema: z.ZodType<T>): Promise<{ body: T; next: string | null }> {
    const url = new URL(target, base);
    // The token goes only to the platform's own host: a Link pointing elsewhere is not followed.
    if (url.origin !== base.origin) throw new ProviderError('malformed', `Canvas pointed the next page at another host (${url.host})`);
    const res = await providerRequest(url, { headers: { authorization: `Bearer ${token}` } }, policy, throttled);
    const body = answerOf(res, url, schema, 'Canvas', { notFound: 'check the account id', credentials: 'access token' });
    const remaining = Number(res.headers['x-rate-limit-remaining']);
    if (Number.isFinite(remaining) && remaining < LOW_BUCKET) await sleep(policy.backoffMs * 2, policy.signal);
    return { body, next: nextLink(res.headers.link) };
  }

  const firstPage = (path: string, params = '') => `/api/v1${path}?per_page=${PER_PAGE}${params}`;

  /** Every page of a list (a course's enrollments, assignments, submissions: bounded by the course). */
  async function all<T>(path: string, schema: z.ZodType<T>): Promise<T[]> {
    const items: T[] = [];
    for (let target: string | null = path; target;) {
      const page: { body: T[]; next: string | null } = await get(target, z.array(schema));
      items.push(...page.body);
      target = page.next;
    }
    return items;
  }

  return {
    async testConnection() {
      const { body } = await get(`/api/v1/accounts/${account}`, accountSchema);
      return { accountName: body.name };
    },

    async courses(cursor): Promise<Page<ProviderCourse>> {
      const page = await get(
        cursor ?? firstPage(`/accounts/${account}/courses`, '&include[]=public_description&include[]=course_image'),
        z.array(courseSchema),
      );
      return {
        next: page.next,
        items: page.body.map((c) => ({
          externalId: c.id,
          name: c.name,
          altName: c.course_code,
          description: c.public_description,
          externalUrl: new URL(`/courses/${c.id}`, base).toString(),
          thumbnailUrl: c.image_download_url,
          startDt: c.start_at,
          endDt: c.end_at,
        })),
      };
    },

    async users(cursor): Promise<Page<ProviderUser>> {
      const page = await get(cursor ?? firstPage(`/accounts/${account}/users`, '&include[]=email'), z.array(userSchema));
      return {
        next: page.next,
        items: page.body.map((u) => ({ externalId: u.id, username: u.login_id, email: u.email, name: u.name, sisId: u.sis_user_id })),
      };
    },

    async courseProgress(courseId): Promise<CourseProgress> {
      const course = encodeURIComponent(courseId);
      const [enrollments, assignments, submissions] = [
        await all(firstPage(`/courses/${course}/enrollments`, '&type[]=StudentEnrollment'), enrollmentSchema),
        await all(firstPage(`/courses/${course}/assignments`), assignmentSchema),
        await all(firstPage(`/courses/${course}/students/submissions`, '&student_ids[]=all'), submissionSchema),
      ];
      const kindOf = new Map(assignments.map((a) => [a.id, milestoneType(a.submission_types ?? [])]));
      const milestones: CourseProgress['milestones'] = [];
      for (const e of enrollments)
        milestones.push({
          externalId: `enrollment:${e.id}`,
          userExternalId: e.user_id,
          type: 'enrollment',
          completed: true,
          occurredAt: e.created_at,
        });
      for (const s of submissions) {
        const submitted = s.workflow_state === 'submitted' || s.workflow_state === 'graded' || s.workflow_state === 'pending_review';
        if (!submitted) continue;
        const type = kindOf.get(s.assignment_id) ?? milestoneType(s.submission_type ? [s.submission_type] : []);
        milestones.push({ externalId: `submission:${s.id}`, userExternalId: s.user_id, type, completed: true, occurredAt: s.submitted_at });
        if (s.workflow_state === 'graded')
          milestones.push({
            externalId: `grade:${s.id}`,
            userExternalId: s.user_id,
            type: 'grade_received',
            completed: true,
            occurredAt: s.graded_at,
          });
      }
      return {
        totalMilestones: assignments.filter((a) => a.published !== false).length,
        milestones,
        enrollments: enrollments
          .filter((e) => e.enrollment_state !== 'deleted')
          .map((e) => ({
            externalId: e.id,
            userExternalId: e.user_id,
            enrolledAt: e.created_at,
            totalActivitySeconds: Math.round(e.total_activity_time ?? 0),
            lastActivityAt: e.last_activity_at,
            grade: e.grades?.final_grade ?? (e.grades?.final_score != null ? String(e.grades.final_score) : null),
            completed: e.enrollment_state === 'completed',
          })),
      };
    },
  };
}

/** Canvas's submission types as milestone kinds (UnlockEdv2's get_milestones does the same). */
function milestoneType(submissionTypes: string[]): MilestoneType {
  if (submissionTypes.includes('online_quiz')) return 'quiz_submission';
  if (submissionTypes.includes('discussion_topic')) return 'discussion_post';
  return 'assignment_submission';
}
