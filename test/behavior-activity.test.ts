import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codes } from './support/client.ts';
import { behaviorWorld, ok, run, type Answer, type BehaviorWorld } from './support/behavior.ts';

// Seed 000's user_activity in MongoDB (here the project's mongo-wire stand-in): written after each
// behavior action, listed per person over a time range, aggregated by event type for administrators.
const OPEN = `mutation($s: UUID!) { openBehaviorRequest(studentId: $s, input: { behaviorType: "disruption", description: "Left class" }) { requestId } }`;
const MOVE = `mutation($id: UUID!, $status: BehaviorRequestStatus!) { changeBehaviorRequestStatus(id: $id, status: $status) { status } }`;
const ACTIVITY = `query($u: UUID!, $from: DateTime, $to: DateTime, $type: String, $first: Int, $after: String) {
  userActivity(userId: $u, from: $from, to: $to, eventType: $type, first: $first, after: $after) {
    nodes { id eventType entityType entityId facilityId createdAt user { id } } pageInfo { hasNextPage endCursor } } }`;
const TRENDS = `query($from: DateTime!, $to: DateTime!) { userActivityTrends(from: $from, to: $to) { eventType day count people } }`;

let w: BehaviorWorld;
let mongo: MongoClient;
let requestId: string;
const started = new Date(Date.now() - 1000);
beforeAll(async () => {
  w = await behaviorWorld();
  mongo = new MongoClient(inject('mongoUrl'));
  await mongo.connect();
  requestId = (await ok(w.teacher, OPEN, { s: w.studentId })).openBehaviorRequest.requestId;
  await ok(w.teacher, MOVE, { id: requestId, status: 'reflection_assigned' });
});
afterAll(() => mongo?.close());

describe('user activity (MongoDB: the mongo-wire stand-in)', () => {
  it('records behavior actions; a person and their admins list them newest first by time range, others see none', async () => {
    const mine = (await ok(w.admin, ACTIVITY, { u: w.teacher.id, from: started.toISOString() })).userActivity.nodes as Answer[];
    expect(mine.map((a) => [a.eventType, a.entityType, a.entityId])).toEqual([
      ['request.status_changed', 'request', requestId],
      ['request.opened', 'request', requestId],
    ]);
    expect(mine[0]).toMatchObject({ facilityId: w.f.id, user: { id: w.teacher.id } });
    // Paged: one at a time, resuming after the cursor.
    const first = (await ok(w.teacher, ACTIVITY, { u: w.teacher.id, from: started.toISOString(), first: 1 })).userActivity;
    expect(first.nodes.map((a: Answer) => a.eventType)).toEqual(['request.status_changed']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = (
      await ok(w.teacher, ACTIVITY, { u: w.teacher.id, from: started.toISOString(), first: 1, after: first.pageInfo.endCursor })
    ).userActivity;
    expect(next.nodes.map((a: Answer) => a.eventType)).toEqual(['request.opened']);
    // A range that ends before the actions, one event type, and people who may not look.
    expect((await ok(w.admin, ACTIVITY, { u: w.teacher.id, to: started.toISOString() })).userActivity.nodes).toEqual([]);
    expect((await ok(w.admin, ACTIVITY, { u: w.teacher.id, type: 'request.opened' })).userActivity.nodes).toHaveLength(1);
    expect((await ok(w.otherStaff, ACTIVITY, { u: w.teacher.id })).userActivity.nodes).toEqual([]);
    expect((await ok(w.foreignAdmin, ACTIVITY, { u: w.teacher.id })).userActivity.nodes).toEqual([]);
    const backwards = await run(w.admin, ACTIVITY, { u: w.teacher.id, from: new Date().toISOString(), to: started.toISOString() });
    expect(backwards.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { from: expect.any(String) } });
  });

  it("keeps the seed's three indexes and no record content", async () => {
    const collection = mongo.db('pathway_behavior').collection('user_activity');
    const indexes = await collection.listIndexes().toArray();
    expect(indexes.map((i) => i.key)).toEqual(expect.arrayContaining([{ user_id: 1 }, { user_id: 1, timestamp: -1 }, { event_type: 1 }]));
    const docs = await collection.find({ entity_id: requestId }).toArray();
    expect(docs).toHaveLength(2);
    expect(docs[0]).toMatchObject({ user_id: w.teacher.id, tenant_id: w.t.id, timestamp: expect.any(Date) });
    expect(JSON.stringify(docs)).not.toContain('Left class');
  });

  it('aggregates usage by event type and day for administrators only', async () => {
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const trends = (await ok(w.admin, TRENDS, { from, to })).userActivityTrends as Answer[];
    const today = new Date().toISOString().slice(0, 10);
    const opened = trends.filter((t) => t.eventType === 'request.opened');
    expect(opened.reduce((n, t) => n + t.count, 0)).toBeGreaterThanOrEqual(1);
    expect(opened.map((t) => t.day)).toContain(today);
    expect(opened.find((t) => t.day === today)!.people).toBeGreaterThanOrEqual(1);
    // Another tenant's admin counts nothing of this tenant; staff and analysts may not ask.
    expect((await ok(w.foreignAdmin, TRENDS, { from, to })).userActivityTrends).toEqual([]);
    expect(codes(await run(w.teacher, TRENDS, { from, to }))).toEqual(['FORBIDDEN']);
    expect(codes(await run(w.analyst, TRENDS, { from, to }))).toEqual(['FORBIDDEN']);
  });
});
