import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectRedis, EVENT_STREAM, type Redis } from '@pathway/kit';
import { codes } from './support/client.ts';
import { behaviorWorld, ok, ownerDb, run, type Answer, type BehaviorWorld } from './support/behavior.ts';

// Stored insights: the insights.recompute job (kit jobs) stores a student's patterns after each
// request change, and publishes behavior.insight.changed when a headline changes.
const OPEN = `mutation($s: UUID!) { openBehaviorRequest(studentId: $s, input: { behaviorType: "disruption", description: "Left class" }) { requestId } }`;
const INSIGHTS = `query($id: UUID!) { student(id: $id) { id insights { id insightType headline previousHeadline summary confidence evidence computedAt changedAt } } }`;

let w: BehaviorWorld;
let db: pg.Client;
let redis: Redis;
beforeAll(async () => {
  w = await behaviorWorld();
  ({ db } = await ownerDb());
  redis = connectRedis(inject('redisUrl'), 'behavior-insights-test');
});
afterAll(async () => {
  await db?.end();
  await redis?.quit();
});

const trendOf = async (studentId: string) =>
  ((await ok(w.teacher, INSIGHTS, { id: studentId })).student.insights as Answer[]).find((i) => i.insightType === 'request_trend');

describe('stored insights', () => {
  it('requests recompute the stored insights in a job; the trend turning worsening is stored and published', async () => {
    const studentId = await w.student();
    const requestIds: string[] = [];
    for (let i = 0; i < 3; i++) requestIds.push((await ok(w.teacher, OPEN, { s: studentId })).openBehaviorRequest.requestId);
    await expect.poll(async () => (await trendOf(studentId))?.evidence.length, { timeout: 15_000, interval: 200 }).toBe(3);
    expect(await trendOf(studentId)).toMatchObject({ headline: 'insufficient_data', previousHeadline: null });

    // The fourth request this week, after eleven empty weeks: the least-squares slope is 0.14 requests per week per week.
    requestIds.push((await ok(w.teacher, OPEN, { s: studentId })).openBehaviorRequest.requestId);
    await expect.poll(async () => (await trendOf(studentId))?.headline, { timeout: 15_000, interval: 200 }).toBe('worsening');
    const trend = (await trendOf(studentId))!;
    expect(trend).toMatchObject({ previousHeadline: 'insufficient_data', summary: expect.stringContaining('worsening') });
    expect(trend.confidence).toBeGreaterThan(0);
    expect([...trend.evidence].sort()).toEqual([...requestIds].sort());
    const all = (await ok(w.teacher, INSIGHTS, { id: studentId })).student.insights as Answer[];
    expect(all.map((i) => i.insightType).sort()).toEqual(['day_of_week', 'mood_trajectory', 'request_trend', 'time_of_day']);
    // Four requests within minutes: one part of the day and one weekday hold all of them.
    expect(all.find((i) => i.insightType === 'time_of_day')!.headline).not.toBe('none');
    expect(await db.query('SELECT count(*)::int n FROM behavior.behavior_insights WHERE student_id = $1', [studentId])).toMatchObject({
      rows: [{ n: 4 }],
    });

    const events = async () =>
      (await redis.xrevrange(EVENT_STREAM, '+', '-', 'COUNT', 5000))
        .map(([, fields]) => JSON.parse(fields[1]!) as Answer)
        .filter((e) => e.type === 'behavior.insight.changed' && e.entityId === trend.id);
    await expect.poll(async () => (await events()).length, { timeout: 10_000 }).toBe(1);
    expect((await events())[0]).toMatchObject({ tenantId: w.t.id, facilityId: w.f.id, payload: { insightType: 'request_trend' } });

    // Staff outside the caseload and guardians see none of it.
    expect((await ok(w.otherStaff, INSIGHTS, { id: studentId })).student).toBeNull();
    expect((await ok(w.otherStaff, `query($id: UUID!) { behaviorInsight(id: $id) { id } }`, { id: trend.id })).behaviorInsight).toBeNull();
    expect(
      (await ok(w.teacher, `query($id: UUID!) { behaviorInsight(id: $id) { id headline } }`, { id: trend.id })).behaviorInsight,
    ).toEqual({
      id: trend.id,
      headline: 'worsening',
    });
    const guardianView = await run(w.guardian, INSIGHTS, { id: w.studentId });
    expect(guardianView.data!.student).toMatchObject({ id: w.studentId, insights: null });
    expect(codes(guardianView)).toEqual(['FORBIDDEN']);
  }, 90_000); // four requests and two job rounds: slow on a loaded machine
});
