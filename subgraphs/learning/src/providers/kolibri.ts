import { z } from 'zod';
import { answerOf } from './answers.ts';
import { ProviderError } from './errors.ts';
import { providerRequest, type HttpPolicy } from './http.ts';
import type { CourseProgress, Page, ProviderClient, ProviderCourse, ProviderUser } from './types.ts';

/**
 * Kolibri REST client, from Kolibri's API: a session is opened with the facility user's username
 * and password (`POST /api/auth/session/` with `{ username, password, facility }`; the session
 * cookie is sent with every call, and a new session opened once if a call answers 401/403);
 * `accountId` is the facility. Facility users page by number (`?page=&page_size=` →
 * `{ count, next, results }`); courses are the available channels (`/api/content/channel/`, with
 * their `total_resource_count`); progress comes from content summary logs per channel
 * (`/api/logger/contentsummarylog/?channel_id=`), one per person and resource: time spent, progress
 * 0–1, completion time.
 */
const PAGE_SIZE = 100;

const text = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
const date = z
  .string()
  .nullish()
  .transform((v) => (v && !Number.isNaN(Date.parse(v)) ? new Date(v) : null));
const numbered = <T extends z.ZodType>(item: T) =>
  z.looseObject({ count: z.number().int().nonnegative(), next: text, results: z.array(item) });

const facilitySchema = z.looseObject({ id: z.string().min(1), name: z.string() });
const userSchema = z.looseObject({ id: z.string().min(1), username: z.string(), full_name: text, id_number: text });
const channelSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  description: text,
  thumbnail: text,
  total_resource_count: z.number().int().nonnegative().nullish(),
});
const summarySchema = z.looseObject({
  id: z.string().min(1),
  user: z.string().min(1),
  content_id: z.string().min(1),
  kind: text,
  start_timestamp: date,
  end_timestamp: date,
  completion_timestamp: date,
  time_spent: z.number().nonnegative().nullish(),
  progress: z.number().nullish(),
});
type Summary = z.infer<typeof summarySchema>;

export interface KolibriOptions {
  baseUrl: string;
  facilityId: string;
  username: string;
  password: string;
}

/** The `name=value` pairs of Set-Cookie headers, as a Cookie header. */
const cookiesOf = (setCookie: string[] | string | undefined) =>
  (Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []).map((c) => c.split(';')[0]!.trim()).join('; ');

export function kolibriClient(options: KolibriOptions, policy: HttpPolicy): ProviderClient {
  const base = new URL(options.baseUrl);
  const facility = encodeURIComponent(options.facilityId);
  let session: string | null = null;

  async function signIn(): Promise<string> {
    const url = new URL('/api/auth/session/', base);
    const body = JSON.stringify({ username: options.username, password: options.password, facility: options.facilityId });
    const res = await providerRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, policy);
    // Kolibri answers a wrong username or password with 401 (older versions 400 or 403).
    if (res.status === 400 || res.status === 401 || res.status === 403)
      throw new ProviderError('unauthorized', 'Kolibri refused the username and password for that facility', { status: res.status });
    answerOf(res, url, z.looseObject({}), 'Kolibri');
    const cookie = cookiesOf(res.headers['set-cookie']);
    if (!cookie) throw new ProviderError('malformed', 'Kolibri opened no session (no cookie came back)');
    return (session = cookie);
  }

  async function get<T>(target: string, schema: z.ZodType<T>): Promise<T> {
    const url = new URL(target, base);
    if (url.origin !== base.origin) throw new ProviderError('malformed', `Kolibri pointed the next page at another host (${url.host})`);
    let res = await providerRequest(url, { headers: { cookie: session ?? (await signIn()) } }, policy);
    if (res.status === 401 || res.status === 403) res = await providerRequest(url, { headers: { cookie: await signIn() } }, policy);
    return answerOf(res, url, schema, 'Kolibri', { notFound: 'check the facility id' });
  }

  /** Every page of a numbered list (a channel's logs are bounded by the channel). */
  async function all<T>(first: string, item: z.ZodType<T>): Promise<T[]> {
    const items: T[] = [];
    for (let target: string | null = first; target;) {
      const page = (await get(target, numbered(item))) as { next: string | null; results: T[] };
      items.push(...page.results);
      target = page.next;
    }
    return items;
  }

  return {
    async testConnection() {
      const found = await get(`/api/auth/facility/${facility}/`, facilitySchema);
      return { accountName: found.name };
    },

    async users(cursor): Promise<Page<ProviderUser>> {
      const page = (await get(
        cursor ?? `/api/auth/facilityuser/?member_of=${facility}&page=1&page_size=${PAGE_SIZE}`,
        numbered(userSchema),
      )) as {
        next: string | null;
        results: z.infer<typeof userSchema>[];
      };
      return {
        next: page.next,
        items: page.results.map((u) => ({ externalId: u.id, username: u.username, email: null, name: u.full_name, sisId: u.id_number })),
      };
    },

    async courses(): Promise<Page<ProviderCourse>> {
      const channels = await get('/api/content/channel/?available=true', z.array(channelSchema));
      return {
        next: null,
        items: channels.map((c) => ({
          externalId: c.id,
          name: c.name,
          altName: null,
          description: c.description,
          externalUrl: new URL(`/en/learn/#/topics/${c.id}`, base).toString(),
          thumbnailUrl: null, // Kolibri sends the thumbnail inline (a data: URI), not as an address
          startDt: null,
          endDt: null,
        })),
      };
    },

    async courseProgress(channelId): Promise<CourseProgress> {
      const channel = encodeURIComponent(channelId);
      const channels = await get(`/api/content/channel/?available=true`, z.array(channelSchema));
      const found = channels.find((c) => c.id === channelId);
      if (!found) throw new ProviderError('not_found', `Kolibri has no channel ${channelId} any more`);
      const logs = await all(`/api/logger/contentsummarylog/?channel_id=${channel}&page=1&page_size=${PAGE_SIZE}`, summarySchema);
      const byUser = new Map<string, Summary[]>();
      for (const log of logs) byUser.set(log.user, [...(byUser.get(log.user) ?? []), log]);
      const latest = (dates: (Date | null)[]) => dates.reduce<Date | null>((max, d) => (d && (!max || d > max) ? d : max), null);
      return {
        totalMilestones: found.total_resource_count ?? 0,
        enrollments: [...byUser].map(([userId, userLogs]) => ({
          externalId: `${channelId}:${userId}`,
          userExternalId: userId,
          enrolledAt: userLogs.map((l) => l.start_timestamp).reduce<Date | null>((min, d) => (d && (!min || d < min) ? d : min), null),
          totalActivitySeconds: Math.round(userLogs.reduce((sum, l) => sum + (l.time_spent ?? 0), 0)),
          lastActivityAt: latest(userLogs.map((l) => l.end_timestamp)),
          grade: null,
          completed:
            found.total_resource_count != null && userLogs.filter((l) => (l.progress ?? 0) >= 1).length >= found.total_resource_count,
        })),
        milestones: logs.map((log) => ({
          externalId: `summary:${log.id}`,
          userExternalId: log.user,
          type: log.kind === 'exercise' || log.kind === 'quiz' ? ('quiz_submission' as const) : ('assignment_submission' as const),
          completed: (log.progress ?? 0) >= 1,
          occurredAt: log.completion_timestamp ?? log.end_timestamp,
        })),
      };
    },
  };
}
