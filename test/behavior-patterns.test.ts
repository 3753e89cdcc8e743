import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from './support/client.ts';
import { behaviorWorld, ok, ownerDb, run, type BehaviorWorld } from './support/behavior.ts';

// Behavior patterns on a constructed history whose answer is worked out by hand: 8 weeks ending
// Monday 2026-06-01 00:00 UTC with 0,1,1,2,2,3,3,4 requests (every one a Tuesday at 14:30 UTC) and
// four reflections with moods 1,2,3,4. The rows are written straight into the tables: the API stamps
// requests with the current time.
const AS_OF = '2026-06-01T00:00:00.000Z';
const WEEK_COUNTS = [0, 1, 1, 2, 2, 3, 3, 4];
const PATTERNS = `query($id: UUID!, $tz: String, $weeks: Int) { student(id: $id) { id behaviorPatterns(weeks: $weeks, timezone: $tz, asOf: "${AS_OF}") {
  windowStart requestCount reflectionCount weekly { count }
  timeOfDay { label share confidence evidence counts { label count } } dayOfWeek { label share evidence }
  trend { direction statistic slope correlation confidence sampleSize evidence }
  moodTrajectory { direction slope correlation confidence sampleSize evidence } } } }`;

let w: BehaviorWorld;
let db: pg.Client;
let studentId: string;
const requestIds: string[] = [];
const reflectionIds: string[] = [];
beforeAll(async () => {
  w = await behaviorWorld();
  ({ db } = await ownerDb());
  studentId = await w.student({ familyId: w.familyId });
  const start = Date.parse(AS_OF) - 8 * 7 * 86_400_000;
  const insert = async (at: Date, status = 'open') => {
    const id = randomUUID();
    await db.query(
      `INSERT INTO behavior.behavior_requests (id, tenant_id, student_id, facility_id, teacher_id, status, behavior_type, description, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'disruption', 'constructed', $7, $7)`,
      [id, w.t.id, studentId, w.f.id, w.teacher.id, status, at],
    );
    return id;
  };
  for (const [week, n] of WEEK_COUNTS.entries())
    for (let k = 0; k < n; k++)
      requestIds.push(await insert(new Date(start + (week * 7 + 1) * 86_400_000 + 14.5 * 3_600_000 + k * 60_000)));
  await insert(new Date(start + 2 * 86_400_000), 'cancelled'); // opened by mistake: not counted
  for (const [i, mood] of [1, 2, 3, 4].entries()) {
    const id = randomUUID();
    reflectionIds.push(id);
    await db.query(
      `INSERT INTO behavior.reflections (id, tenant_id, request_id, student_id, content, mood_rating, completed_at) VALUES ($1, $2, $3, $4, 'x', $5, $6)`,
      [id, w.t.id, requestIds[requestIds.length - 4 + i], studentId, mood, new Date(start + (40 + i) * 86_400_000)],
    );
  }
});
afterAll(() => db?.end());

describe('behavior patterns', () => {
  it('computes the known answer: weekly counts, a worsening trend, clusters and an improving mood, with evidence', async () => {
    const res = await ok(w.teacher, PATTERNS, { id: studentId, tz: 'America/New_York', weeks: 8 });
    const p = res.student.behaviorPatterns;
    expect(p.windowStart).toBe('2026-04-06T00:00:00.000Z');
    expect(p.weekly.map((x: { count: number }) => x.count)).toEqual(WEEK_COUNTS);
    expect(p.requestCount).toBe(16);
    // slope = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)² = 22 / 42; r = 22 / √(42 · 12)
    expect(p.trend).toEqual({
      direction: 'worsening',
      statistic: 'least-squares slope of requests per week',
      slope: 0.524,
      correlation: 0.98,
      confidence: 0.98,
      sampleSize: 16,
      evidence: requestIds,
    });
    // 14:30 UTC in June is 10:30 in New York: every request in the morning, on a Tuesday.
    expect(p.timeOfDay).toMatchObject({ label: 'morning', share: 1, confidence: 1 });
    expect([...p.timeOfDay.evidence].sort()).toEqual([...requestIds].sort());
    expect(p.timeOfDay.counts).toContainEqual({ label: 'afternoon', count: 0 });
    expect(p.dayOfWeek).toMatchObject({ label: 'Tuesday', share: 1 });
    expect(p.moodTrajectory).toEqual({
      direction: 'improving',
      slope: 1,
      correlation: 1,
      confidence: 1,
      sampleSize: 4,
      evidence: reflectionIds,
    });

    const utc = await ok(w.teacher, PATTERNS, { id: studentId, tz: 'UTC', weeks: 8 });
    expect(utc.student.behaviorPatterns.timeOfDay.label).toBe('afternoon');
    // Without a time zone, the student's facility's (New York, as campus gave it when the student was placed).
    expect(w.f.timezone).toBe('America/New_York');
    expect((await db.query('SELECT facility_timezone FROM behavior.students WHERE id = $1', [studentId])).rows).toEqual([
      { facility_timezone: 'America/New_York' },
    ]);
    const facilityZone = await ok(w.teacher, PATTERNS, { id: studentId, weeks: 8 });
    expect(facilityZone.student.behaviorPatterns.timeOfDay.label).toBe('morning');
    // One week holds too little to say anything.
    const short = await ok(w.teacher, PATTERNS, { id: studentId, weeks: 1 });
    expect(short.student.behaviorPatterns.trend).toMatchObject({ direction: 'insufficient_data', sampleSize: 4 });
  });

  it('is for staff with the student in their caseload: guardians and other staff do not get it; bad arguments are refused', async () => {
    const guardian = await run(w.guardian, PATTERNS, { id: studentId, weeks: 8 });
    expect(guardian.data!.student).toEqual({ id: studentId, behaviorPatterns: null });
    expect(codes(guardian)).toEqual(['FORBIDDEN']);
    expect((await ok(w.otherStaff, PATTERNS, { id: studentId, weeks: 8 })).student).toBeNull();
    expect(codes(await run(w.teacher, PATTERNS, { id: studentId, tz: 'Mars/Olympus', weeks: 8 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await run(w.teacher, PATTERNS, { id: studentId, weeks: 0 }))).toEqual(['BAD_USER_INPUT']);
  });
});
