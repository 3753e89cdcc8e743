import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from './support/client.ts';
import { behaviorWorld, ok, ownerDb, run, uniqueNumber, type Answer, type BehaviorWorld } from './support/behavior.ts';

// External (SIS) records: correlated to students by correlation id with a confidence score;
// low-confidence matches reviewed (confirmed or rejected) by staff whose caseload holds the student, audited.
const INGEST = `mutation($input: IngestExternalRecordsInput!) { ingestExternalRecords(input: $input) {
  dataSource received created updated matched pendingReview unmatched reviewed
  records { id correlationId confidence matchBasis matchStatus data student { id } } } }`;
const LIST = `query($filter: ExternalRecordFilter) { externalRecords(first: 50, filter: $filter) { nodes { id correlationId confidence matchStatus student { id } } } }`;
const CONFIRM = `mutation($id: UUID!, $reason: String) { confirmExternalMatch(id: $id, reason: $reason) { externalRecordId record { matchStatus confidence matchBasis reviewedBy { id } reviewedAt } } }`;
const REJECT = `mutation($id: UUID!, $reason: String!) { rejectExternalMatch(id: $id, reason: $reason) { externalRecordId record { matchStatus student { id } } } }`;

let w: BehaviorWorld;
let db: pg.Client;
let count: (sql: string, params?: unknown[]) => Promise<number>;
const numberA = uniqueNumber();
const students: Record<string, string> = {};
const source = `sis-${randomUUID().slice(0, 6)}`;
const records = () => [
  { correlationId: numberA, lastName: 'Park', data: { attendance: 0.97 } },
  { correlationId: 'X-2', firstName: 'Omar', lastName: 'Diaz', birthDate: '2011-01-01', data: { gpa: 3.1 } },
  { correlationId: 'X-3', firstName: 'Sam', lastName: 'Lee' },
  { correlationId: 'X-4', firstName: 'Nobody', lastName: 'Here' },
  { correlationId: 'X-5', studentNumber: numberA, lastName: 'Parker' },
];
let byCorrelation: Record<string, Answer>;

beforeAll(async () => {
  w = await behaviorWorld();
  ({ db, count } = await ownerDb());
  students.a = await w.student({ studentNumber: numberA, firstName: 'Lena', lastName: 'Park', birthDate: '2010-04-02' });
  students.b = await w.student({ firstName: 'Omar', lastName: 'Diaz', birthDate: '2011-01-01' });
  students.c = await w.student({ firstName: 'Sam', lastName: 'Lee' });
  students.d = await w.student({ firstName: 'Sam', lastName: 'Lee' });
});
afterAll(() => db?.end());

describe('external records', () => {
  it('ingest correlates each record with a confidence; the same records again change no decision', async () => {
    const res = await ok(w.admin, INGEST, { input: { dataSource: source, records: records() } });
    expect(res.ingestExternalRecords).toMatchObject({ received: 5, created: 5, updated: 0, matched: 1, pendingReview: 3, unmatched: 1 });
    byCorrelation = Object.fromEntries(res.ingestExternalRecords.records.map((r: Answer) => [r.correlationId, r]));
    expect(byCorrelation[numberA]).toMatchObject({
      confidence: 1,
      matchBasis: 'student_number',
      matchStatus: 'matched',
      student: { id: students.a },
    });
    expect(byCorrelation[numberA]!.data).toEqual({ attendance: 0.97 });
    expect(byCorrelation['X-2']).toMatchObject({
      confidence: 0.8,
      matchBasis: 'name_birth_date',
      matchStatus: 'pending_review',
      student: { id: students.b },
    });
    expect(byCorrelation['X-3']).toMatchObject({ confidence: 0.3, matchBasis: 'name_ambiguous', matchStatus: 'pending_review' });
    expect([students.c, students.d]).toContain(byCorrelation['X-3']!.student.id);
    expect(byCorrelation['X-4']).toMatchObject({ confidence: 0, matchBasis: 'none', matchStatus: 'unmatched', student: null });
    expect(byCorrelation['X-5']).toMatchObject({
      confidence: 0.7,
      matchBasis: 'student_number_name_mismatch',
      student: { id: students.a },
    });

    const again = await ok(w.admin, INGEST, { input: { dataSource: source, records: records() } });
    expect(again.ingestExternalRecords).toMatchObject({ created: 0, updated: 5, matched: 1, pendingReview: 3, unmatched: 1 });
    expect(again.ingestExternalRecords.records.map((r: Answer) => r.id)).toEqual(
      res.ingestExternalRecords.records.map((r: Answer) => r.id),
    );
    expect(await count('SELECT count(*) n FROM behavior.external_data WHERE tenant_id = $1', [w.t.id])).toBe(5);
  });

  it('staff review the low-confidence matches of their caseload, lowest first; confirm and reject are audited and kept on re-ingest', async () => {
    const queue = (await ok(w.teacher, LIST, { filter: { matchStatus: 'pending_review' } })).externalRecords.nodes as Answer[];
    expect(queue.map((r) => r.correlationId)).toEqual(['X-3', 'X-5', 'X-2']);
    expect((await ok(w.otherStaff, LIST)).externalRecords.nodes).toEqual([]);
    // The admin also sees the unmatched record (no student) of their reach.
    expect(
      ((await ok(w.admin, LIST, { filter: { matchStatus: 'unmatched' } })).externalRecords.nodes as Answer[]).map((r) => r.correlationId),
    ).toEqual(['X-4']);

    const confirmed = await ok(w.teacher, CONFIRM, { id: byCorrelation['X-2']!.id, reason: 'Same birth date and family' });
    expect(confirmed.confirmExternalMatch.record).toMatchObject({
      matchStatus: 'confirmed',
      confidence: 1,
      matchBasis: 'confirmed',
      reviewedBy: { id: w.teacher.id },
    });
    const rejected = await ok(w.teacher, REJECT, { id: byCorrelation['X-5']!.id, reason: 'Different person, same number typo' });
    expect(rejected.rejectExternalMatch).toEqual({
      externalRecordId: byCorrelation['X-5']!.id,
      record: { matchStatus: 'rejected', student: null },
    });
    const lines = await db.query(
      `SELECT action, actor_id, student_id, reason FROM behavior.behavior_changes WHERE entity_type = 'external_record' AND tenant_id = $1 ORDER BY at`,
      [w.t.id],
    );
    expect(lines.rows).toEqual([
      { action: 'external.confirmed', actor_id: w.teacher.id, student_id: students.b, reason: 'Same birth date and family' },
      { action: 'external.rejected', actor_id: w.teacher.id, student_id: students.a, reason: 'Different person, same number typo' },
    ]);

    const again = await ok(w.admin, INGEST, { input: { dataSource: source, records: records() } });
    const after = Object.fromEntries(again.ingestExternalRecords.records.map((r: Answer) => [r.correlationId, r]));
    expect(after['X-2']).toMatchObject({ matchStatus: 'confirmed', confidence: 1, student: { id: students.b } });
    expect(after['X-5']).toMatchObject({ matchStatus: 'rejected', student: null }); // the rejected student is not proposed again
    expect(again.ingestExternalRecords.reviewed).toBe(2);
  });

  it('refuses wrong roles, decisions out of turn and bad input, writing nothing', async () => {
    const before = await count('SELECT count(*) n FROM behavior.external_data WHERE tenant_id = $1', [w.t.id]);
    const fresh = { dataSource: source, records: [{ correlationId: 'X-9', firstName: 'New', lastName: 'Person' }] };
    expect(codes(await run(w.teacher, INGEST, { input: fresh }))).toEqual(['FORBIDDEN']);
    expect(codes(await run(w.guardian, INGEST, { input: fresh }))).toEqual(['FORBIDDEN']);
    const dup = await run(w.admin, INGEST, {
      input: { dataSource: source, records: [{ correlationId: 'X-9' }, { correlationId: 'X-9' }] },
    });
    expect(dup.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: { 'records.1.correlationId': expect.any(String) },
    });
    const badSource = await run(w.admin, INGEST, { input: { ...fresh, dataSource: 'Bad Source!' } });
    expect(badSource.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { dataSource: expect.any(String) } });
    const tooMany = await run(w.admin, INGEST, {
      input: { dataSource: source, records: Array.from({ length: 1001 }, (_, i) => ({ correlationId: `Y-${i}` })) },
    });
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
    expect(await count('SELECT count(*) n FROM behavior.external_data WHERE tenant_id = $1', [w.t.id])).toBe(before);

    const pending = byCorrelation['X-3']!.id;
    expect(codes(await run(w.guardian, CONFIRM, { id: pending }))).toEqual(['FORBIDDEN']);
    expect(codes(await run(w.otherStaff, CONFIRM, { id: pending }))).toEqual(['NOT_FOUND']);
    expect(codes(await run(w.foreignAdmin, REJECT, { id: pending, reason: 'no' }))).toEqual(['NOT_FOUND']);
    const noReason = await run(w.teacher, REJECT, { id: pending, reason: ' ' });
    expect(noReason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { reason: expect.any(String) } });
    const matched = await run(w.teacher, CONFIRM, { id: byCorrelation[numberA]!.id });
    expect(matched.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_TRANSITION', from: 'matched' });
    expect(await count(`SELECT count(*) n FROM behavior.external_data WHERE id = $1 AND match_status = 'pending_review'`, [pending])).toBe(
      1,
    );
  });
});
