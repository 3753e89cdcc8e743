import { randomUUID } from 'node:crypto';
import { BSON, type Db } from 'mongodb';
import { z } from 'zod';
import {
  badInput,
  conflict,
  forbidden,
  matchesFilter,
  notFound,
  parseInput,
  requirePeople,
  type Identity,
  type PersonRef,
  type References,
} from '@pathway/kit';
import { userInsightsWriteAccess, type InsightSubtopicDocument, type InsightTopicDocument, type UserInsightsDocument } from '../access.ts';
import { insertUserInsights, interestScore, profileCompleteness, replaceUserInsights, userInsightsOf } from '../data/user-insights.ts';
import type { UserInsightTopicInput } from '../generated/graphql.ts';

/**
 * A person's interest topics (seed 001 user insights, MongoDB): one topic added, replaced or removed
 * at a time, the document's metadata computed again on each. Not the behavior pattern insights (insights.ts).
 */

export const MAX_TOPICS = 50;
export const MAX_SUBTOPICS = 50;
/** Bounds the whole document (50 × 50 subtopics could otherwise pass MongoDB's 16 MB). */
const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;
const SAVE_ATTEMPTS = 8;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
const httpUrl = z
  .string()
  .trim()
  .max(2048, 'at most 2048 characters')
  .refine((url) => URL.canParse(url) && ['http:', 'https:'].includes(new URL(url).protocol), 'must be an http:// or https:// URL');
const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

const subtopicInput = z.object({
  subtopicId: z.string().nullish(),
  name: text(100),
  keyPoints: z.array(text(1000)).max(20, 'at most 20').nullish(),
  resources: z.array(httpUrl).max(20, 'at most 20').nullish(),
});
const topicInput = z
  .object({
    topicId: z.string().nullish(),
    name: text(100),
    description: z.string().trim().max(2000, 'at most 2000 characters').nullish(),
    subtopics: z.array(subtopicInput).max(MAX_SUBTOPICS, `at most ${MAX_SUBTOPICS}`).nullish(),
  })
  .superRefine((t, ctx) => {
    // Within the one topic: a subtopic named twice, or the same subtopic given twice, is the input's mistake.
    (t.subtopics ?? []).forEach((s, i, all) => {
      if (all.findIndex((o) => sameName(o.name, s.name)) !== i)
        ctx.addIssue({ code: 'custom', path: ['subtopics', i, 'name'], message: 'names another subtopic of this topic again' });
      if (s.subtopicId && all.findIndex((o) => o.subtopicId === s.subtopicId) !== i)
        ctx.addIssue({ code: 'custom', path: ['subtopics', i, 'subtopicId'], message: 'is given twice' });
    });
  });
type TopicFields = z.infer<typeof topicInput>;

/**
 * The person whose topics change, as identity vouches for them: of the caller's tenant (NOT_FOUND
 * otherwise), and the caller themself or an administrator who may manage students within reach
 * (access.ts userInsightsWriteAccess; FORBIDDEN otherwise).
 */
async function insightsPerson(refs: References, identity: Identity, userId: string): Promise<PersonRef> {
  const self = userId === identity.userId;
  const [person] = await requirePeople(refs, identity, [userId], { field: 'userId', within: self ? 'tenant' : 'reach' });
  const asDocument = { user_id: person!.id, tenant_id: person!.tenantId, facility_id: person!.facilityId };
  if (!matchesFilter(userInsightsWriteAccess.where(identity), asDocument))
    throw forbidden("Only the person themself, or an administrator who may manage students within reach, may change a person's topics.");
  return person!;
}

/** The subtopic as saved: a named one keeps its createdAt, and its updatedAt unless its name or content changed. */
function subtopicOf(
  existing: InsightTopicDocument | undefined,
  s: NonNullable<TopicFields['subtopics']>[number],
  i: number,
  now: Date,
): InsightSubtopicDocument {
  const kept = s.subtopicId ? existing?.subtopics.find((o) => o.subtopic_id === s.subtopicId) : undefined;
  if (s.subtopicId && !kept) throw notFound(`The subtopic ${s.subtopicId} of this topic (\`input.subtopics.${i}.subtopicId\`)`);
  const fields = { name: s.name, content: { key_points: s.keyPoints ?? [], resources: s.resources ?? [] } };
  const unchanged = kept && JSON.stringify({ name: kept.name, content: kept.content }) === JSON.stringify(fields);
  return {
    subtopic_id: kept?.subtopic_id ?? randomUUID(),
    ...fields,
    created_at: kept?.created_at ?? now,
    updated_at: unchanged ? kept.updated_at : now,
  };
}

/** The topics with `f` added or put in place of the topic it names; refused as the rules say, before anything is written. */
function withTopic(topics: InsightTopicDocument[], f: TopicFields, now: Date): { topics: InsightTopicDocument[]; topicId: string } {
  const existing = f.topicId ? topics.find((t) => t.topic_id === f.topicId) : undefined;
  if (f.topicId && !existing) throw notFound(`The topic ${f.topicId} (\`input.topicId\`)`);
  if (!existing && topics.length >= MAX_TOPICS)
    throw badInput(`A person keeps at most ${MAX_TOPICS} topics; remove one before adding another.`, {
      input: `at most ${MAX_TOPICS} topics`,
    });
  const clash = topics.find((t) => t !== existing && sameName(t.name, f.name));
  if (clash)
    throw conflict(`This person already has a topic named "${clash.name}"; save that topic (topicId) or choose another name.`, {
      reason: 'DUPLICATE',
      fields: ['name'],
      topicId: clash.topic_id,
    });
  const topic: InsightTopicDocument = {
    topic_id: existing?.topic_id ?? randomUUID(),
    name: f.name,
    description: f.description || null,
    subtopics: (f.subtopics ?? []).map((s, i) => subtopicOf(existing, s, i, now)),
    created_at: existing?.created_at ?? now,
    updated_at: now,
  };
  return { topics: existing ? topics.map((t) => (t === existing ? topic : t)) : [...topics, topic], topicId: topic.topic_id };
}

/** The document as it will be stored, metadata computed (data/user-insights.ts). */
async function documentOf(
  db: Db,
  person: PersonRef,
  current: UserInsightsDocument | null,
  topics: InsightTopicDocument[],
  now: Date,
): Promise<UserInsightsDocument> {
  const next: UserInsightsDocument = {
    _id: current?._id ?? randomUUID(),
    user_id: person.id,
    tenant_id: person.tenantId,
    facility_id: person.facilityId,
    topics,
    metadata: { profile_completeness: profileCompleteness(topics), interest_score: await interestScore(db, person, now) },
    created_at: current?.created_at ?? now,
    updated_at: now,
  };
  if (BSON.calculateObjectSize(next) > MAX_DOCUMENT_BYTES)
    throw badInput("The person's topics would be too large (at most 2 MB together); shorten or remove some.", { input: 'too large' });
  return next;
}

const changedMeanwhile = () =>
  conflict("The person's topics changed meanwhile; look them up again and retry.", { reason: 'INVALID_TRANSITION', allowed: [] });

/**
 * Reads, changes and stores the person's document, compare-and-set on updated_at: a save that lost
 * a race is tried again on what won. Each loss is another save landing, so up to eight saves at once all land.
 */
async function change(
  db: Db,
  person: PersonRef,
  edit: (topics: InsightTopicDocument[], now: Date) => { topics: InsightTopicDocument[]; topicId: string },
): Promise<{ doc: UserInsightsDocument; topicId: string }> {
  for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
    const current = await userInsightsOf(db, person.id);
    // Every save moves updated_at forward, even within one millisecond: the compare-and-set relies on it.
    const now = new Date(Math.max(Date.now(), (current?.updated_at.getTime() ?? 0) + 1));
    const { topics, topicId } = edit(current?.topics ?? [], now);
    const doc = await documentOf(db, person, current, topics, now);
    if (await (current ? replaceUserInsights(db, current, doc) : insertUserInsights(db, doc))) return { doc, topicId };
  }
  throw changedMeanwhile();
}

export async function saveInsightTopic(db: Db, refs: References, identity: Identity, userId: string, input: UserInsightTopicInput) {
  const f = parseInput(topicInput, input, 'The topic');
  const person = await insightsPerson(refs, identity, userId);
  return change(db, person, (topics, now) => withTopic(topics, f, now));
}

export async function removeInsightTopic(db: Db, refs: References, identity: Identity, userId: string, topicId: string) {
  const person = await insightsPerson(refs, identity, userId);
  return change(db, person, (topics) => {
    if (!topics.some((t) => t.topic_id === topicId)) throw notFound(`The topic ${topicId} of this person (\`topicId\`)`);
    return { topics: topics.filter((t) => t.topic_id !== topicId), topicId };
  });
}
