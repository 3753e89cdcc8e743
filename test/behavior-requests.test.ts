import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from './support/client.ts';
import { behaviorWorld, ok, ownerDb, run, type BehaviorWorld } from './support/behavior.ts';

// Behavior requests (status workflow), interventions and progress notes, through the gateway.
const OPEN = `mutation($s: UUID!, $input: OpenBehaviorRequestInput!) { openBehaviorRequest(studentId: $s, input: $input) {
  requestId request { id status behaviorType description metadata nextStatuses teacher { id } student { id } } } }`;
const MOVE = `mutation($id: UUID!, $status: BehaviorRequestStatus!, $reason: String) { changeBehaviorRequestStatus(id: $id, status: $status, reason: $reason) {
  requestId previousStatus status request { status closedAt nextStatuses } } }`;
const REQUEST = `query($id: UUID!) { behaviorRequest(id: $id) { id status behaviorType description
  history(first: 10) { nodes { action reason before after actor { id } } } } }`;
const PLAN = `mutation($s: UUID!, $input: PlanInterventionInput!) { planIntervention(studentId: $s, input: $input) { interventionId intervention { status request { id } } } }`;
const INTERVENTION_STATUS = `mutation($id: UUID!, $status: InterventionStatus!, $reason: String) { changeInterventionStatus(id: $id, status: $status, reason: $reason) {
  intervention { status startedOn endedOn } } }`;
const NOTE = `mutation($id: UUID!, $input: ProgressNoteInput!) { addProgressNote(interventionId: $id, input: $input) { noteId note { note progress author { id } } } }`;

let w: BehaviorWorld;
let db: pg.Client;
let count: (sql: string, params?: unknown[]) => Promise<number>;
beforeAll(async () => {
  w = await behaviorWorld();
  ({ db, count } = await ownerDb());
});
afterAll(() => db?.end());

const input = { behaviorType: 'Disruption', description: 'Talked over the lesson twice.', metadata: { period: 3 } };
const requestsOf = (studentId: string) => count('SELECT count(*) n FROM behavior.behavior_requests WHERE student_id = $1', [studentId]);

describe('behavior requests', () => {
  it('a teacher opens a request for a student in their caseload and moves it; who, when and why are kept', async () => {
    const opened = await ok(w.teacher, OPEN, { s: w.studentId, input });
    expect(opened.openBehaviorRequest.request).toMatchObject({
      status: 'open',
      behaviorType: 'disruption',
      metadata: { period: 3 },
      nextStatuses: ['reflection_assigned', 'resolved', 'cancelled'],
      teacher: { id: w.teacher.id },
      student: { id: w.studentId },
    });
    const id = opened.openBehaviorRequest.requestId;
    const assigned = await ok(w.teacher, MOVE, { id, status: 'reflection_assigned', reason: 'Reflect on it' });
    expect(assigned.changeBehaviorRequestStatus).toMatchObject({ previousStatus: 'open', status: 'reflection_assigned' });
    const resolved = await ok(w.admin, MOVE, { id, status: 'resolved', reason: 'Talked with the student' });
    expect(resolved.changeBehaviorRequestStatus.request).toMatchObject({
      status: 'resolved',
      closedAt: expect.any(String),
      nextStatuses: [],
    });

    const read = await ok(w.teacher, REQUEST, { id });
    expect(read.behaviorRequest.history.nodes).toEqual([
      {
        action: 'request.status_changed',
        reason: 'Talked with the student',
        before: { status: 'reflection_assigned' },
        after: { status: 'resolved' },
        actor: { id: w.admin.id },
      },
      {
        action: 'request.status_changed',
        reason: 'Reflect on it',
        before: { status: 'open' },
        after: { status: 'reflection_assigned' },
        actor: { id: w.teacher.id },
      },
      {
        action: 'request.opened',
        reason: null,
        before: null,
        after: { status: 'open', behaviorType: 'disruption' },
        actor: { id: w.teacher.id },
      },
    ]);
  });

  it('refuses transitions the workflow does not allow (CONFLICT INVALID_TRANSITION / ALREADY_IN_STATE) and changes nothing', async () => {
    const id = (await ok(w.teacher, OPEN, { s: w.studentId, input })).openBehaviorRequest.requestId;
    const skip = await run(w.teacher, MOVE, { id, status: 'reflection_completed' });
    expect(skip.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'INVALID_TRANSITION',
      from: 'open',
      to: 'reflection_completed',
      allowed: ['reflection_assigned', 'resolved', 'cancelled'],
    });
    expect(codes(await run(w.teacher, MOVE, { id, status: 'reviewed' }))).toEqual(['CONFLICT']);
    const same = await run(w.teacher, MOVE, { id, status: 'open' });
    expect(same.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_IN_STATE' });
    await ok(w.teacher, MOVE, { id, status: 'cancelled', reason: 'Opened by mistake' });
    const reopen = await run(w.teacher, MOVE, { id, status: 'reflection_assigned' });
    expect(reopen.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'INVALID_TRANSITION',
      from: 'cancelled',
      allowed: [],
    });
    const row = (await db.query('SELECT status FROM behavior.behavior_requests WHERE id = $1', [id])).rows[0];
    expect(row.status).toBe('cancelled');
    expect(await count(`SELECT count(*) n FROM behavior.behavior_changes WHERE entity_id = $1`, [id])).toBe(2);
  });

  it('refuses residents, guardians and analysts (FORBIDDEN), staff without the student and other tenants (NOT_FOUND)', async () => {
    const before = await requestsOf(w.studentId);
    for (const who of [w.studentUser, w.guardian, w.analyst]) {
      expect({ who: who.role, codes: codes(await run(who, OPEN, { s: w.studentId, input })) }).toEqual({
        who: who.role,
        codes: ['FORBIDDEN'],
      });
    }
    expect(codes(await run(w.otherStaff, OPEN, { s: w.studentId, input }))).toEqual(['NOT_FOUND']);
    expect(codes(await run(w.foreignAdmin, OPEN, { s: w.studentId, input }))).toEqual(['NOT_FOUND']);
    const id = (await ok(w.teacher, OPEN, { s: w.studentId, input })).openBehaviorRequest.requestId;
    expect(codes(await run(w.otherStaff, MOVE, { id, status: 'cancelled' }))).toEqual(['NOT_FOUND']);
    expect(codes(await run(w.foreignAdmin, MOVE, { id, status: 'cancelled' }))).toEqual(['NOT_FOUND']);
    expect(codes(await run(w.guardian, MOVE, { id, status: 'cancelled' }))).toEqual(['FORBIDDEN']);
    expect(await requestsOf(w.studentId)).toBe(before + 1);
    expect((await db.query('SELECT status FROM behavior.behavior_requests WHERE id = $1', [id])).rows[0].status).toBe('open');
  });

  it('rejects bad input with fieldErrors and writes nothing', async () => {
    const before = await requestsOf(w.studentId);
    const bad: [Record<string, unknown>, string][] = [
      [{ ...input, behaviorType: '!!' }, 'behaviorType'],
      [{ ...input, description: '  ' }, 'description'],
      [{ ...input, metadata: [1] }, 'metadata'],
    ];
    for (const [wrong, field] of bad) {
      const res = await run(w.teacher, OPEN, { s: w.studentId, input: wrong });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.extensions!.fieldErrors).toHaveProperty(field);
    }
    expect(codes(await run(w.teacher, OPEN, { s: 'nope', input }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await run(w.teacher, OPEN, { s: randomUUID(), input }))).toEqual(['NOT_FOUND']);
    expect(codes(await run(w.teacher, MOVE, { id: randomUUID(), status: 'cancelled' }))).toEqual(['NOT_FOUND']);
    expect(codes(await run(w.teacher, MOVE, { id: randomUUID(), status: 'finished' }))).toEqual(['BAD_USER_INPUT']);
    expect(await requestsOf(w.studentId)).toBe(before);
  });

  it('the student reads their own requests; a guardian the summary only; other staff nothing', async () => {
    const id = (await ok(w.teacher, OPEN, { s: w.studentId, input: { ...input, behaviorType: 'tardiness' } })).openBehaviorRequest
      .requestId;
    const own = await ok(w.studentUser, REQUEST, { id });
    expect(own.behaviorRequest).toMatchObject({ id, behaviorType: 'tardiness', description: input.description });
    const summary = await run(w.guardian, `query($id: UUID!) { behaviorRequest(id: $id) { id status behaviorType description } }`, { id });
    expect(summary.data!.behaviorRequest).toEqual({ id, status: 'open', behaviorType: 'tardiness', description: null });
    expect(summary.errors!.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([['behaviorRequest.description', 'FORBIDDEN']]);
    expect((await ok(w.otherStaff, REQUEST, { id })).behaviorRequest).toBeNull();
    const listed = await ok(w.otherStaff, `{ behaviorRequests(first: 50) { nodes { id } } }`);
    expect(listed.behaviorRequests.nodes).toEqual([]);
    const mine = await ok(
      w.teacher,
      `query($s: UUID!) { behaviorRequests(first: 100, filter: { studentId: $s, behaviorType: "tardiness" }) { nodes { id } } }`,
      {
        s: w.studentId,
      },
    );
    expect(mine.behaviorRequests.nodes).toContainEqual({ id });
  });
});

describe('interventions and progress notes', () => {
  it('a teacher plans, starts and completes an intervention with notes; a completed one takes no more', async () => {
    const requestId = (await ok(w.teacher, OPEN, { s: w.studentId, input })).openBehaviorRequest.requestId;
    const planned = await ok(w.teacher, PLAN, {
      s: w.studentId,
      input: { interventionType: 'check-in/check-out', description: 'Daily check-in', requestId },
    });
    expect(planned.planIntervention.intervention).toEqual({ status: 'planned', request: { id: requestId } });
    const id = planned.planIntervention.interventionId;
    const started = await ok(w.teacher, INTERVENTION_STATUS, { id, status: 'active' });
    expect(started.changeInterventionStatus.intervention).toMatchObject({ status: 'active', startedOn: expect.any(String), endedOn: null });
    const noted = await ok(w.teacher, NOTE, { id, input: { note: 'Good week', progress: 4 } });
    expect(noted.addProgressNote.note).toEqual({ note: 'Good week', progress: 4, author: { id: w.teacher.id } });
    await ok(w.admin, INTERVENTION_STATUS, { id, status: 'completed', reason: 'Goals met' });
    const late = await run(w.teacher, NOTE, { id, input: { note: 'One more' } });
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'RECORD_CLOSED', status: 'completed' });
    const back = await run(w.teacher, INTERVENTION_STATUS, { id, status: 'active' });
    expect(back.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_TRANSITION' });
    expect(await count('SELECT count(*) n FROM behavior.progress_notes WHERE intervention_id = $1', [id])).toBe(1);

    const seen = await ok(w.studentUser, `query($s: UUID!) { student(id: $s) { interventions { id notes { nodes { note } } } } }`, {
      s: w.studentId,
    });
    expect(seen.student.interventions).toContainEqual({ id, notes: { nodes: [{ note: 'Good week' }] } });
    const guardianView = await run(w.guardian, `query($s: UUID!) { student(id: $s) { id interventions { id } } }`, { s: w.studentId });
    expect(guardianView.data!.student).toEqual({ id: w.studentId, interventions: null });
  });

  it('refuses wrong roles and bad input, writing nothing', async () => {
    const plan = { interventionType: 'mentoring', description: 'Weekly mentor' };
    const before = await count('SELECT count(*) n FROM behavior.interventions WHERE student_id = $1', [w.studentId]);
    expect(codes(await run(w.studentUser, PLAN, { s: w.studentId, input: plan }))).toEqual(['FORBIDDEN']);
    expect(codes(await run(w.guardian, PLAN, { s: w.studentId, input: plan }))).toEqual(['FORBIDDEN']);
    expect(codes(await run(w.otherStaff, PLAN, { s: w.studentId, input: plan }))).toEqual(['NOT_FOUND']);
    expect(codes(await run(w.foreignAdmin, PLAN, { s: w.studentId, input: plan }))).toEqual(['NOT_FOUND']);
    const ends = await run(w.teacher, PLAN, { s: w.studentId, input: { ...plan, startedOn: '2026-05-02', endedOn: '2026-05-01' } });
    expect(ends.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { endedOn: expect.any(String) } });
    expect(codes(await run(w.teacher, PLAN, { s: w.studentId, input: { ...plan, requestId: randomUUID() } }))).toEqual(['NOT_FOUND']);
    expect(await count('SELECT count(*) n FROM behavior.interventions WHERE student_id = $1', [w.studentId])).toBe(before);

    const id = (await ok(w.teacher, PLAN, { s: w.studentId, input: plan })).planIntervention.interventionId;
    const rating = await run(w.teacher, NOTE, { id, input: { note: 'x', progress: 6 } });
    expect(rating.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { progress: expect.any(String) } });
    expect(codes(await run(w.otherStaff, NOTE, { id, input: { note: 'x' } }))).toEqual(['NOT_FOUND']);
    expect(codes(await run(w.studentUser, NOTE, { id, input: { note: 'x' } }))).toEqual(['FORBIDDEN']);
    expect(await count('SELECT count(*) n FROM behavior.progress_notes WHERE intervention_id = $1', [id])).toBe(0);
  });
});
