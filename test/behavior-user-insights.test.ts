import { randomUUID } from 'node:crypto';
import { MongoClient, type Collection, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codes } from './support/client.ts';
import { behaviorWorld, ok, run, type Answer, type BehaviorWorld } from './support/behavior.ts';
import type { SeededPerson } from './support/seed.ts';

// Seed 001's user_insights in MongoDB (here the project's mongo-wire stand-in): a person's interest
// topics and subtopics, saved one topic at a time by the person or an administrator within reach,
// with metadata the service computes on each save.
const TOPIC_FIELDS = `id name description createdAt updatedAt subtopics { id name content { keyPoints resources } createdAt updatedAt }`;
const INSIGHTS_FIELDS = `user { id } topics { ${TOPIC_FIELDS} } metadata { profileCompleteness interestScore } createdAt updatedAt`;
const SAVE = `mutation($u: UUID!, $input: UserInsightTopicInput!) {
  saveInsightTopic(userId: $u, input: $input) { userId topicId insights { ${INSIGHTS_FIELDS} } } }`;
const REMOVE = `mutation($u: UUID!, $t: UUID!) { removeInsightTopic(userId: $u, topicId: $t) { userId topicId insights { ${INSIGHTS_FIELDS} } } }`;
const READ = `query($u: UUID!) { userInsights(userId: $u) { ${INSIGHTS_FIELDS} } }`;
const ME = `{ me { id insights { topics { name } metadata { profileCompleteness } } } }`;

const DAY = 86_400_000;
/** Noon UTC, `days` days before today. */
const noonDaysAgo = (days: number) => new Date(Math.floor(Date.now() / DAY) * DAY - days * DAY + DAY / 2);

let w: BehaviorWorld;
let mongo: MongoClient;
/** Both collections key documents by UUID strings, not ObjectIds. */
type Keyed = Document & { _id: string };
let insights: Collection<Keyed>;
let activity: Collection<Keyed>;
let otherResident: SeededPerson;
const stored = (userId: string) => insights.findOne({ user_id: userId });

beforeAll(async () => {
  w = await behaviorWorld();
  otherResident = await w.f.resident();
  mongo = new MongoClient(inject('mongoUrl'));
  await mongo.connect();
  insights = mongo.db('pathway_behavior').collection<Keyed>('user_insights');
  activity = mongo.db('pathway_behavior').collection<Keyed>('user_activity');
});
afterAll(() => mongo?.close());

describe('user insights topics (MongoDB: the mongo-wire stand-in)', () => {
  it('a person adds, updates and removes their topics; metadata says how complete and how active', async () => {
    const me = w.studentUser;
    // A constructed history: actions on three distinct days of the 30 ending today (two on one day),
    // one 30 days ago (outside), and someone else's (not theirs).
    const event = (userId: string, timestamp: Date) => ({
      _id: randomUUID(),
      user_id: userId,
      tenant_id: w.t.id,
      facility_id: w.f.id,
      event_type: 'request.opened',
      entity_type: null,
      entity_id: null,
      timestamp,
    });
    await activity.insertMany([
      event(me.id, noonDaysAgo(1)),
      event(me.id, new Date(noonDaysAgo(1).getTime() + 3_600_000)),
      event(me.id, noonDaysAgo(5)),
      event(me.id, noonDaysAgo(29)),
      event(me.id, noonDaysAgo(30)),
      event(w.teacher.id, noonDaysAgo(2)),
    ]);

    // Everything holds: a topic, described, with a subtopic that has key points and a resource.
    const carpentry = {
      name: 'Carpentry',
      description: 'Woodwork',
      subtopics: [{ name: 'Joinery', keyPoints: ['Dovetails'], resources: ['https://example.org/joinery'] }],
    };
    const first = (await ok(me, SAVE, { u: me.id, input: carpentry })).saveInsightTopic;
    expect(first.userId).toBe(me.id);
    expect(first.insights.metadata).toEqual({ profileCompleteness: 1, interestScore: 0.1 });
    const a = first.insights.topics[0];
    expect(a).toMatchObject({ id: first.topicId, name: 'Carpentry', description: 'Woodwork' });
    expect(a.subtopics[0]).toMatchObject({
      name: 'Joinery',
      content: { keyPoints: ['Dovetails'], resources: ['https://example.org/joinery'] },
    });

    // A bare second topic: no description, no subtopic (3 of 5). The first save was an action today: 4 days of 30.
    const second = (await ok(me, SAVE, { u: me.id, input: { name: 'Cooking' } })).saveInsightTopic;
    expect(second.insights.metadata.profileCompleteness).toBeCloseTo(0.6);
    expect(second.insights.metadata.interestScore).toBeCloseTo(4 / 30);
    const b = second.insights.topics.find((t: Answer) => t.name === 'Cooking');

    // Replaced: described, a subtopic without key points (4 of 5); its createdAt stays.
    const third = (
      await ok(me, SAVE, {
        u: me.id,
        input: { topicId: b.id, name: 'Cooking', description: 'Kitchen basics', subtopics: [{ name: 'Knives' }] },
      })
    ).saveInsightTopic;
    expect(third.topicId).toBe(b.id);
    expect(third.insights.metadata.profileCompleteness).toBeCloseTo(0.8);
    const b2 = third.insights.topics.find((t: Answer) => t.id === b.id);
    expect(b2).toMatchObject({ description: 'Kitchen basics', createdAt: b.createdAt, subtopics: [{ name: 'Knives' }] });
    expect(new Date(b2.updatedAt).getTime()).toBeGreaterThan(new Date(b.updatedAt).getTime());

    // The first topic again, its subtopic kept as it was (createdAt and updatedAt unchanged) and one added.
    const fourth = (
      await ok(me, SAVE, {
        u: me.id,
        input: {
          topicId: a.id,
          name: 'Carpentry',
          description: 'Woodwork',
          subtopics: [
            { subtopicId: a.subtopics[0].id, ...carpentry.subtopics[0] },
            { name: 'Finishing', keyPoints: ['Sanding', 'Oil'] },
          ],
        },
      })
    ).saveInsightTopic;
    const a2 = fourth.insights.topics.find((t: Answer) => t.id === a.id);
    expect(a2.subtopics.map((s: Answer) => s.name)).toEqual(['Joinery', 'Finishing']);
    expect(a2.subtopics[0]).toMatchObject({
      id: a.subtopics[0].id,
      createdAt: a.subtopics[0].createdAt,
      updatedAt: a.subtopics[0].updatedAt,
    });
    expect(a2.createdAt).toBe(a.createdAt);

    // Read back as a query and on the User entity (behavior resolves User.insights through the gateway).
    expect((await ok(me, READ, { u: me.id })).userInsights.topics.map((t: Answer) => t.name)).toEqual(['Carpentry', 'Cooking']);
    expect((await ok(me, ME)).me.insights.topics.map((t: Answer) => t.name)).toEqual(['Carpentry', 'Cooking']);

    // Removing the topic whose subtopic lacks key points makes the profile complete again.
    const removed = (await ok(me, REMOVE, { u: me.id, t: b.id })).removeInsightTopic;
    expect(removed.insights.topics.map((t: Answer) => t.id)).toEqual([a.id]);
    expect(removed.insights.metadata.profileCompleteness).toBe(1);

    // Stored with the seed's field names and indexes; each change an activity event, never its content.
    const doc = await stored(me.id);
    expect(doc).toMatchObject({
      user_id: me.id,
      tenant_id: w.t.id,
      topics: [
        {
          topic_id: a.id,
          name: 'Carpentry',
          subtopics: [{ name: 'Joinery', content: { key_points: ['Dovetails'] } }, { name: 'Finishing' }],
        },
      ],
      metadata: { profile_completeness: 1 },
      created_at: expect.any(Date),
      updated_at: expect.any(Date),
    });
    const indexes = await insights.listIndexes().toArray();
    expect(indexes.find((i) => JSON.stringify(i.key) === '{"user_id":1}')?.unique).toBe(true);
    expect(indexes.map((i) => i.key)).toEqual(expect.arrayContaining([{ 'topics.name': 1 }, { updated_at: 1 }]));
    const events = await activity.find({ user_id: me.id, entity_type: 'user_insights_topic' }).sort({ timestamp: 1 }).toArray();
    expect(events.map((e) => [e.event_type, e.entity_id])).toEqual([
      ['insights.topic_saved', a.id],
      ['insights.topic_saved', b.id],
      ['insights.topic_saved', b.id],
      ['insights.topic_saved', a.id],
      ['insights.topic_removed', b.id],
    ]);
    expect(JSON.stringify(events)).not.toMatch(/Carpentry|Dovetails|joinery/);
  });

  it('an administrator within reach keeps a person’s topics; activity readers see them, other people do not', async () => {
    const person = await w.f.resident();
    const saved = (await ok(w.admin, SAVE, { u: person.id, input: { name: 'Welding', description: 'MIG' } })).saveInsightTopic;
    expect(saved.insights.topics.map((t: Answer) => t.name)).toEqual(['Welding']);
    // The action is the administrator's.
    expect(await activity.countDocuments({ user_id: w.admin.id, entity_id: saved.topicId, event_type: 'insights.topic_saved' })).toBe(1);
    expect((await ok(w.admin, READ, { u: person.id })).userInsights.user).toEqual({ id: person.id });
    expect((await ok(person, READ, { u: person.id })).userInsights.topics).toHaveLength(1);
    for (const other of [w.teacher, otherResident, w.guardian, w.analyst, w.foreignAdmin])
      expect((await ok(other, READ, { u: person.id })).userInsights).toBeNull();
    // Eight saves at once all land (compare-and-set on updated_at, a loser retried on the winner's document).
    const names = ['Plumbing', 'Masonry', 'Roofing', 'Tiling', 'Painting', 'Glazing', 'Framing', 'Wiring'];
    await Promise.all(names.map((name, i) => ok(i % 2 ? w.admin : person, SAVE, { u: person.id, input: { name } })));
    expect((await stored(person.id))!.topics.map((t: Answer) => t.name).sort()).toEqual([...names, 'Welding'].sort());
    // Nobody has written this person's topics: null, not an empty document.
    expect((await ok(otherResident, READ, { u: otherResident.id })).userInsights).toBeNull();
  });

  it('refuses other residents, staff and another tenant’s administrator with stable codes, changing nothing', async () => {
    const me = w.studentUser;
    const before = await stored(me.id);
    const topicId = before!.topics[0].topic_id as string;
    const input = { name: 'Intruder' };
    // Another resident and a staff member: FORBIDDEN before anyone is looked up.
    expect(codes(await run(otherResident, SAVE, { u: me.id, input }))).toEqual(['FORBIDDEN']);
    expect(codes(await run(otherResident, REMOVE, { u: me.id, t: topicId }))).toEqual(['FORBIDDEN']);
    expect(codes(await run(w.teacher, SAVE, { u: me.id, input }))).toEqual(['FORBIDDEN']);
    // An administrator of another facility of the tenant: the person is outside their reach.
    const farAdmin = await (await w.t.facility()).facilityAdmin();
    expect(codes(await run(farAdmin, SAVE, { u: me.id, input }))).toEqual(['FORBIDDEN']);
    expect((await ok(farAdmin, READ, { u: me.id })).userInsights).toBeNull();
    // Another tenant's administrator: the person is nobody they know.
    expect(codes(await run(w.foreignAdmin, SAVE, { u: me.id, input }))).toEqual(['NOT_FOUND']);
    expect(codes(await run(w.foreignAdmin, REMOVE, { u: me.id, t: topicId }))).toEqual(['NOT_FOUND']);
    expect(await stored(me.id)).toEqual(before);
  });

  it('refuses an unknown topic, a duplicate name, a bad URL, a person who is nobody and a 51st topic, changing nothing', async () => {
    const me = w.studentUser;
    const before = await stored(me.id);
    const topicId = before!.topics[0].topic_id as string;
    const save = (input: Answer, u = me.id) => run(me, SAVE, { u, input });

    const unknown = await save({ topicId: randomUUID(), name: 'Gardening' });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(codes(await save({ topicId, name: 'Carpentry', subtopics: [{ subtopicId: randomUUID(), name: 'Lathe' }] }))).toEqual([
      'NOT_FOUND',
    ]);
    expect(codes(await run(me, REMOVE, { u: me.id, t: randomUUID() }))).toEqual(['NOT_FOUND']);

    // Names are unique per person whatever their case (the topic itself may keep its own).
    const duplicate = await save({ name: 'carpentry' });
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE', fields: ['name'], topicId });

    const badUrl = await save({
      name: 'Music',
      subtopics: [{ name: 'Guitar', resources: ['https://ok.example.org', 'ftp://files.example.org/tabs'] }],
    });
    expect(badUrl.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: { 'subtopics.0.resources.1': expect.stringContaining('http') },
    });
    const blank = await save({ name: '  ', subtopics: [{ name: 'A' }, { name: 'a' }] });
    expect(blank.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: { name: expect.any(String), 'subtopics.1.name': expect.any(String) },
    });

    const nobody = randomUUID();
    expect(codes(await run(w.admin, SAVE, { u: nobody, input: { name: 'Ghost' } }))).toEqual(['NOT_FOUND']);
    expect(await insights.countDocuments({ user_id: nobody })).toBe(0);
    expect(await stored(me.id)).toEqual(before);

    // At most 50 topics: a person who has 50 may replace one, not add a 51st.
    const full = await w.f.resident();
    const now = new Date();
    const topics = Array.from({ length: 50 }, (_, i) => ({
      topic_id: randomUUID(),
      name: `Topic ${i}`,
      description: null,
      subtopics: [],
      created_at: now,
      updated_at: now,
    }));
    await insights.insertOne({
      _id: randomUUID(),
      user_id: full.id,
      tenant_id: w.t.id,
      facility_id: w.f.id,
      topics,
      metadata: { profile_completeness: 0.2, interest_score: 0 },
      created_at: now,
      updated_at: now,
    });
    const fiftyFirst = await run(full, SAVE, { u: full.id, input: { name: 'One more' } });
    expect(fiftyFirst.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { input: expect.any(String) } });
    expect((await stored(full.id))!.topics).toHaveLength(50);
    const replaced = (
      await ok(full, SAVE, { u: full.id, input: { topicId: topics[0]!.topic_id, name: 'Topic 0', description: 'Now described' } })
    ).saveInsightTopic;
    expect(replaced.insights.topics).toHaveLength(50);
  });
});
