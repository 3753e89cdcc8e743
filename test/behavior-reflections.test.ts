import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectRedis, EVENT_STREAM, type Redis } from '@pathway/kit';
import { codes } from './support/client.ts';
import { behaviorWorld, ok, ownerDb, run, type BehaviorWorld } from './support/behavior.ts';
import { collect, wsClient } from './support/subscriptions.ts';

// Reflections (1:1 with a request, written by the student, reviewed by the teacher; content the most
// sensitive field) and behavior events (outbox → stream → subscriptions and webhooks).
const OPEN = `mutation($s: UUID!) { openBehaviorRequest(studentId: $s, input: { behaviorType: "disruption", description: "Left class" }) { requestId } }`;
const MOVE = `mutation($id: UUID!, $status: BehaviorRequestStatus!) { changeBehaviorRequestStatus(id: $id, status: $status) { status } }`;
const SUBMIT = `mutation($id: UUID!, $input: ReflectionInput!) { submitReflection(requestId: $id, input: $input) {
  requestId reflectionId reflection { content moodRating responses { prompt answer } completedAt request { status } } } }`;
const REVIEW = `mutation($id: UUID!, $note: String) { reviewReflection(requestId: $id, note: $note) { reflection { reviewedAt reviewNote reviewedBy { id } request { status } } } }`;
const READ = `query($id: UUID!) { behaviorRequest(id: $id) { id status reflection { id completedAt content moodRating responses { answer } } } }`;

const reflection = {
  content: 'I was upset about the test and walked out.',
  moodRating: 2,
  responses: [{ prompt: 'What happened?', answer: 'I left the room.' }],
};

let w: BehaviorWorld;
let db: pg.Client;
let count: (sql: string, params?: unknown[]) => Promise<number>;
let redis: Redis;
beforeAll(async () => {
  w = await behaviorWorld();
  ({ db, count } = await ownerDb());
  redis = connectRedis(inject('redisUrl'), 'behavior-reflections-test');
});
afterAll(async () => {
  await db?.end();
  await redis?.quit();
});

/** A request of the world's student, moved to reflection_assigned. */
async function assigned(studentId = w.studentId) {
  const id = (await ok(w.teacher, OPEN, { s: studentId })).openBehaviorRequest.requestId as string;
  await ok(w.teacher, MOVE, { id, status: 'reflection_assigned' });
  return id;
}

describe('reflections', () => {
  it('the student writes it, the teacher reads and reviews it; the request follows the workflow', async () => {
    const id = await assigned();
    const done = await ok(w.studentUser, SUBMIT, { id, input: reflection });
    expect(done.submitReflection.reflection).toMatchObject({
      content: reflection.content,
      moodRating: 2,
      responses: reflection.responses,
      completedAt: expect.any(String),
      request: { status: 'reflection_completed' },
    });
    const seen = await ok(w.teacher, READ, { id });
    expect(seen.behaviorRequest.reflection).toMatchObject({ content: reflection.content, moodRating: 2 });
    const reviewed = await ok(w.teacher, REVIEW, { id, note: 'Talked it through' });
    expect(reviewed.reviewReflection.reflection).toMatchObject({
      reviewNote: 'Talked it through',
      reviewedBy: { id: w.teacher.id },
      request: { status: 'reviewed' },
    });
    // The history says it was completed and by whom, never what it says.
    const lines = await db.query(
      `SELECT action, actor_id, before, after FROM behavior.behavior_changes WHERE student_id = $1 AND action LIKE 'reflection.%'`,
      [w.studentId],
    );
    expect(lines.rows.map((r) => r.action).sort()).toEqual(['reflection.completed', 'reflection.reviewed']);
    expect(JSON.stringify(lines.rows)).not.toContain('upset');
  });

  it('guardians see that it was completed, never its content or responses; a denied field stays local', async () => {
    const id = await assigned();
    await ok(w.studentUser, SUBMIT, { id, input: reflection });
    const res = await run(w.guardian, READ, { id });
    expect(res.data!.behaviorRequest).toEqual({
      id,
      status: 'reflection_completed',
      reflection: { id: expect.any(String), completedAt: expect.any(String), content: null, moodRating: null, responses: null },
    });
    expect(res.errors!.map((e) => [e.path?.join('.'), e.extensions?.code]).sort()).toEqual([
      ['behaviorRequest.reflection.content', 'FORBIDDEN'],
      ['behaviorRequest.reflection.moodRating', 'FORBIDDEN'],
      ['behaviorRequest.reflection.responses', 'FORBIDDEN'],
    ]);
    expect((await ok(w.otherStaff, READ, { id })).behaviorRequest).toBeNull();
  });

  it("refuses someone else's request, the wrong role, the wrong status and bad input; nothing is written", async () => {
    const id = await assigned();
    // Another student's request: another resident cannot see it at all.
    const other = await w.f.resident();
    expect(codes(await run(other, SUBMIT, { id, input: reflection }))).toEqual(['NOT_FOUND']);
    // Staff and guardians do not write reflections.
    expect(codes(await run(w.teacher, SUBMIT, { id, input: reflection }))).toEqual(['FORBIDDEN']);
    expect(codes(await run(w.guardian, SUBMIT, { id, input: reflection }))).toEqual(['FORBIDDEN']);
    for (const [input, field] of [
      [{ ...reflection, moodRating: 6 }, 'moodRating'],
      [{ ...reflection, moodRating: 0 }, 'moodRating'],
      [{ ...reflection, content: ' ' }, 'content'],
      [{ ...reflection, responses: [{ prompt: '', answer: 'x' }] }, 'responses.0.prompt'],
    ] as const) {
      const res = await run(w.studentUser, SUBMIT, { id, input });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.extensions!.fieldErrors).toHaveProperty([field]);
    }
    expect(codes(await run(w.studentUser, SUBMIT, { id: randomUUID(), input: reflection }))).toEqual(['NOT_FOUND']);
    expect(await count('SELECT count(*) n FROM behavior.reflections WHERE request_id = $1', [id])).toBe(0);
    expect((await db.query('SELECT status FROM behavior.behavior_requests WHERE id = $1', [id])).rows[0].status).toBe(
      'reflection_assigned',
    );

    // Not assigned yet: the workflow refuses; a second reflection too.
    const fresh = (await ok(w.teacher, OPEN, { s: w.studentId })).openBehaviorRequest.requestId;
    const early = await run(w.studentUser, SUBMIT, { id: fresh, input: reflection });
    expect(early.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'INVALID_TRANSITION',
      from: 'open',
      to: 'reflection_completed',
    });
    await ok(w.studentUser, SUBMIT, { id, input: reflection });
    const twice = await run(w.studentUser, SUBMIT, { id, input: { ...reflection, content: 'again' } });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_IN_STATE' });
    expect(await count('SELECT count(*) n FROM behavior.reflections WHERE request_id = $1', [id])).toBe(1);
    // Reviewing: only with the request in your caseload; a guardian or student never.
    expect(codes(await run(w.otherStaff, REVIEW, { id }))).toEqual(['NOT_FOUND']);
    expect(codes(await run(w.studentUser, REVIEW, { id }))).toEqual(['FORBIDDEN']);
    expect(codes(await run(w.guardian, REVIEW, { id }))).toEqual(['FORBIDDEN']);
    expect(await count('SELECT count(*) n FROM behavior.reflections WHERE request_id = $1 AND reviewed_at IS NOT NULL', [id])).toBe(0);
  });
});

describe('behavior events', () => {
  interface Published {
    type: string;
    tenantId: string;
    facilityId: string | null;
    userId?: string | null;
    entityId: string;
    payload: Record<string, unknown>;
  }
  const published = async () =>
    (await redis.xrevrange(EVENT_STREAM, '+', '-', 'COUNT', 5000)).map(([, fields]) => JSON.parse(fields[1]!) as Published).reverse();

  it('open, status changes and a completed reflection publish their events after commit; refused changes none', async () => {
    const id = await assigned();
    await run(w.teacher, MOVE, { id, status: 'reviewed' }); // refused: no event
    await ok(w.studentUser, SUBMIT, { id, input: reflection });
    await expect
      .poll(async () => (await published()).some((e) => e.type === 'behavior.reflection.completed' && e.entityId === id), {
        timeout: 10_000,
      })
      .toBe(true);
    const mine = (await published()).filter((e) => e.entityId === id);
    expect(mine.map((e) => [e.type, e.payload.status ?? null])).toEqual([
      ['behavior.request.opened', 'open'],
      ['behavior.request.updated', 'reflection_assigned'],
      ['behavior.request.updated', 'reflection_completed'],
      ['behavior.reflection.completed', null],
    ]);
    expect(mine[3]).toMatchObject({ tenantId: w.t.id, facilityId: w.f.id, userId: w.studentUser.id });
    expect(JSON.stringify(mine)).not.toContain('upset');
  });

  it('subscriptions deliver to those who may see the request, resume after a cursor, and reach webhooks as event types', async () => {
    const SUB = `subscription($after: String) { behaviorRequestChanged(after: $after) { cursor status previousStatus request { id status } } }`;
    const teacherWs = wsClient((await w.teacher.api()).accessToken);
    const strangerWs = wsClient((await w.otherStaff.api()).accessToken);
    const teacherSub = collect<{ behaviorRequestChanged: { cursor: string; status: string; request: { id: string } } }>(teacherWs, SUB);
    const strangerSub = collect(strangerWs, SUB);
    try {
      await new Promise((r) => setTimeout(r, 500));
      const id = (await ok(w.teacher, OPEN, { s: w.studentId })).openBehaviorRequest.requestId;
      await teacherSub.waitFor(1);
      expect(teacherSub.results[0]!.data!.behaviorRequestChanged).toMatchObject({ status: 'open', previousStatus: null, request: { id } });
      const cursor = teacherSub.results[0]!.data!.behaviorRequestChanged.cursor;
      await ok(w.teacher, MOVE, { id, status: 'cancelled' });
      await teacherSub.waitFor(2);

      // Resume from the first cursor: the cancellation again, first.
      const resumed = collect<{ behaviorRequestChanged: { status: string; request: { id: string } } }>(teacherWs, SUB, { after: cursor });
      await resumed.waitFor(1);
      expect(resumed.results[0]!.data!.behaviorRequestChanged).toMatchObject({ status: 'cancelled', request: { id } });
      resumed.stop();
      // Staff without the student in their caseload hear nothing of it.
      expect(strangerSub.results).toEqual([]);
    } finally {
      teacherSub.stop();
      strangerSub.stop();
      await teacherWs.dispose();
      await strangerWs.dispose();
    }
    const types = await ok(await w.t.departmentAdmin(), `{ webhookEventTypes }`);
    expect(types.webhookEventTypes).toEqual(
      expect.arrayContaining(['behavior.request.opened', 'behavior.request.updated', 'behavior.reflection.completed']),
    );
  });
});
