import { z } from 'zod';
import { answerOf } from './answers.ts';
import { ProviderError } from './errors.ts';
import { providerRequest, type HttpPolicy } from './http.ts';
import type { CourseProgress, Page, ProviderClient, ProviderCourse, ProviderUser } from './types.ts';

/**
 * Brightspace (D2L) Valence client, from D2L's public API documentation: OAuth 2.0 client
 * credentials at the Brightspace authentication service's token endpoint
 * (`https://auth.brightspace.com/core/connect/token`), `Authorization: Bearer` on every call (a
 * token is reused until shortly before it expires, and fetched again once if a call answers 401);
 * lists as paged result sets (`{ PagingInfo: { Bookmark, HasMoreItems }, Items }`, continued with
 * `?bookmark=`), grade values as object list pages (`{ Objects, Next }`). `accountId` is the org
 * unit (the organization, or a department) whose course offerings are synced.
 */
export const BRIGHTSPACE_TOKEN_URL = 'https://auth.brightspace.com/core/connect/token';
const LP = '/d2l/api/lp/1.43';
const LE = '/d2l/api/le/1.67';
/** Course offerings are org units of type 3 (Valence's built-in Course Offering type). */
const COURSE_OFFERING = 3;
const SCOPE = 'core:*:* enrollment:orgunit:read grades:gradevalues:read orgunits:course:read users:userdata:read';

const id = z.union([z.number().int(), z.string().min(1)]).transform(String);
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
const date = z.iso
  .datetime({ offset: true })
  .nullish()
  .transform((v) => (v ? new Date(v) : null));
const paged = <T extends z.ZodType>(item: T) =>
  z.looseObject({ PagingInfo: z.looseObject({ Bookmark: text, HasMoreItems: z.boolean() }), Items: z.array(item) });

const tokenSchema = z.looseObject({ access_token: z.string().min(1), expires_in: z.number().positive().nullish() });
const organizationSchema = z.looseObject({ Identifier: id, Name: z.string() });
const userSchema = z.looseObject({
  UserId: id,
  UserName: text,
  ExternalEmail: text,
  OrgDefinedId: text,
  FirstName: text,
  LastName: text,
});
const orgUnitSchema = z.looseObject({
  Identifier: id,
  Name: z.string().min(1),
  Code: text,
  Type: z.looseObject({ Id: z.number() }).nullish(),
});
const classlistSchema = z.looseObject({
  User: z.looseObject({ Identifier: id }),
  Role: z.looseObject({ Id: z.number(), Name: text }).nullish(),
});
const gradeObjectSchema = z.looseObject({ Id: id, Name: z.string(), GradeType: text });
const finalGradeSchema = z.looseObject({
  User: z.looseObject({ Identifier: id }),
  GradeValue: z.looseObject({ DisplayedGrade: text, PointsNumerator: z.number().nullish(), LastModified: date.optional() }).nullish(),
});
const objectListPage = z.looseObject({ Objects: z.array(finalGradeSchema), Next: text });

export interface BrightspaceOptions {
  baseUrl: string;
  orgUnitId: string;
  clientId: string;
  clientSecret: string;
  /** The token endpoint (tests: a local one). */
  tokenUrl?: string;
}

export function brightspaceClient(options: BrightspaceOptions, policy: HttpPolicy): ProviderClient {
  const base = new URL(options.baseUrl);
  const orgUnit = encodeURIComponent(options.orgUnitId);
  let token: { value: string; until: number } | null = null;

  async function accessToken(fresh = false): Promise<string> {
    if (token && !fresh && Date.now() < token.until) return token.value;
    const url = new URL(options.tokenUrl ?? BRIGHTSPACE_TOKEN_URL);
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.clientId,
      client_secret: options.clientSecret,
      scope: SCOPE,
    }).toString();
    const res = await providerRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
      policy,
    );
    // RFC 6749 §5.2: a wrong client is 400/401 `invalid_client`.
    if (res.status === 400 || res.status === 401)
      throw new ProviderError('unauthorized', 'Brightspace refused the OAuth client id and secret (wrong, expired or revoked)', {
        status: res.status,
      });
    const answer = answerOf(res, url, tokenSchema, 'the Brightspace authentication service');
    // Renewed a minute before it runs out.
    token = { value: answer.access_token, until: Date.now() + Math.max(0, (answer.expires_in ?? 3600) - 60) * 1000 };
    return token.value;
  }

  async function get<T>(target: string, schema: z.ZodType<T>): Promise<T> {
    const url = new URL(target, base);
    if (url.origin !== base.origin) throw new ProviderError('malformed', `Brightspace pointed the next page at another host (${url.host})`);
    let res = await providerRequest(url, { headers: { authorization: `Bearer ${await accessToken()}` } }, policy);
    if (res.status === 401) res = await providerRequest(url, { headers: { authorization: `Bearer ${await accessToken(true)}` } }, policy);
    return answerOf(res, url, schema, 'Brightspace', { notFound: 'check the org unit id', credentials: 'OAuth token' });
  }

  /** One page of a paged result set; the cursor is the bookmark Brightspace gave. */
  async function page<T>(path: string, item: z.ZodType<T>, cursor: string | null, extra = ''): Promise<Page<T>> {
    const bookmark = cursor ? `bookmark=${encodeURIComponent(cursor)}` : '';
    const query = [extra, bookmark].filter(Boolean).join('&');
    const body = (await get(`${path}${query ? `?${query}` : ''}`, paged(item))) as {
      PagingInfo: { Bookmark: string | null; HasMoreItems: boolean };
      Items: T[];
    };
    const next = body.PagingInfo.HasMoreItems ? body.PagingInfo.Bookmark : null;
    if (body.PagingInfo.HasMoreItems && !next)
      throw new ProviderError('malformed', `Brightspace said more of ${path} follows but gave no bookmark`);
    return { items: body.Items, next };
  }

  async function allPages<T>(path: string, item: z.ZodType<T>, extra = ''): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const next: Page<T> = await page(path, item, cursor, extra);
      items.push(...next.items);
      cursor = next.next;
    } while (cursor);
    return items;
  }

  return {
    async testConnection() {
      const organization = await get(`${LP}/organization/info`, organizationSchema);
      return { accountName: organization.Name };
    },

    async users(cursor): Promise<Page<ProviderUser>> {
      const result = await page(`${LP}/users/`, userSchema, cursor);
      return {
        next: result.next,
        items: result.items.map((u) => ({
          externalId: u.UserId,
          username: u.UserName,
          email: u.ExternalEmail,
          name: [u.FirstName, u.LastName].filter(Boolean).join(' ') || null,
          sisId: u.OrgDefinedId,
        })),
      };
    },

    async courses(cursor): Promise<Page<ProviderCourse>> {
      const result = await page(`${LP}/orgstructure/${orgUnit}/descendants/paged/`, orgUnitSchema, cursor, `ouTypeId=${COURSE_OFFERING}`);
      return {
        next: result.next,
        items: result.items.map((c) => ({
          externalId: c.Identifier,
          name: c.Name,
          altName: c.Code,
          description: null,
          externalUrl: new URL(`/d2l/home/${c.Identifier}`, base).toString(),
          thumbnailUrl: null,
          startDt: null,
          endDt: null,
        })),
      };
    },

    async courseProgress(courseId): Promise<CourseProgress> {
      const course = encodeURIComponent(courseId);
      const classlist = await allPages(`${LP}/enrollments/orgUnits/${course}/users/`, classlistSchema);
      const gradeObjects = await get(`${LE}/${course}/grades/`, z.array(gradeObjectSchema));
      const finals: z.infer<typeof finalGradeSchema>[] = [];
      for (let target: string | null = `${LE}/${course}/grades/final/values/`; target;) {
        const list: z.infer<typeof objectListPage> = await get(target, objectListPage);
        finals.push(...list.Objects);
        target = list.Next;
      }
      const gradeOf = new Map(finals.filter((f) => f.GradeValue).map((f) => [f.User.Identifier, f.GradeValue!]));
      const enrolled = classlist.map((c) => c.User.Identifier);
      return {
        // The course's grade items are its progress milestones (Brightspace keeps no per-item completion for a service client here).
        totalMilestones: gradeObjects.filter((g) => g.GradeType !== 'Category' && g.GradeType !== 'Text').length,
        enrollments: enrolled.map((userId) => {
          const grade = gradeOf.get(userId);
          return {
            externalId: `${courseId}:${userId}`,
            userExternalId: userId,
            enrolledAt: null,
            totalActivitySeconds: 0,
            lastActivityAt: grade?.LastModified ?? null,
            grade: grade?.DisplayedGrade ?? (grade?.PointsNumerator != null ? String(grade.PointsNumerator) : null),
            completed: false,
          };
        }),
        milestones: [
          ...enrolled.map((userId) => ({
            externalId: `enrollment:${courseId}:${userId}`,
            userExternalId: userId,
            type: 'enrollment' as const,
            completed: true,
            occurredAt: null,
          })),
          ...[...gradeOf].map(([userId, grade]) => ({
            externalId: `final-grade:${courseId}:${userId}`,
            userExternalId: userId,
            type: 'grade_received' as const,
            completed: true,
            occurredAt: grade.LastModified ?? null,
          })),
        ],
      };
    },
  };
}
