import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectRedis, EVENT_STREAM, type Redis } from '@pathway/kit';
import { codes } from './support/client.ts';
import { behaviorWorld, ok, ownerDb, run, type Answer, type BehaviorWorld } from './support/behavior.ts';
import type { SeededPerson } from './support/seed.ts';

// Communications: rules send templates to guardians who opted in for the channel, through channels
// (email over SMTP to a real local SMTP server started here, on the port the stack's BEHAVIOR_SMTP_URL
// names; the in-app inbox), logged and retried by the kit's jobs (3 attempts, 100 ms doubling in tests).
const TEMPLATE = `mutation($input: CommunicationTemplateInput!) { createCommunicationTemplate(input: $input) { id } }`;
const RULE = `mutation($input: CommunicationRuleInput!) { createCommunicationRule(input: $input) { id name trigger enabled channel template { id } createdBy { id } } }`;
const UPDATE_RULE = `mutation($id: UUID!, $input: UpdateCommunicationRuleInput!) { updateCommunicationRule(id: $id, input: $input) { id enabled } }`;
const CREATE_FAMILY = `mutation($input: CreateFamilyInput!) { createFamily(input: $input) { familyId } }`;
const ADD_GUARDIAN = `mutation($f: UUID!, $input: AddGuardianInput!) { addGuardian(familyId: $f, input: $input) { guardianId } }`;
const OPEN = `mutation($s: UUID!) { openBehaviorRequest(studentId: $s, input: { behaviorType: "disruption", description: "Left class" }) { requestId } }`;
const MOVE = `mutation($id: UUID!, $status: BehaviorRequestStatus!) { changeBehaviorRequestStatus(id: $id, status: $status) { status } }`;
const SUBMIT = `mutation($id: UUID!, $input: ReflectionInput!) { submitReflection(requestId: $id, input: $input) { reflectionId } }`;
const INSIGHTS = `query($id: UUID!) { student(id: $id) { id insights { insightType headline } } }`;
const RETRY = `mutation($id: UUID!) { retryCommunication(id: $id) { id status } }`;
const LOGS = `query($filter: CommunicationLogFilter) { communicationLogs(first: 50, filter: $filter) { nodes {
  id channel recipient subject body status attempts lastError sentAt failedAt trigger rule { id } guardian { id } student { id } } } }`;
const INBOX = `{ communicationInbox(first: 50) { nodes { id channel subject body sentAt student { id firstName } request { id } } } }`;

interface Received {
  to: string[];
  raw: string;
}
const received: Received[] = [];
/** Recipient address → how many more times the server refuses it (451, try again later). */
const refusals = new Map<string, number>();
const smtp = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onRcptTo(address, _session, callback) {
    const left = refusals.get(address.address) ?? 0;
    if (left <= 0) return callback();
    refusals.set(address.address, left - 1);
    callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
  },
  onData(stream, session, callback) {
    let raw = '';
    stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    stream.on('end', () => {
      received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
      callback();
    });
  },
});
const mailTo = (address: string) => received.filter((m) => m.to.includes(address));

let w: BehaviorWorld;
let db: pg.Client;
let count: (sql: string, params?: unknown[]) => Promise<number>;
let redis: Redis;
beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(inject('smtpPort'), '127.0.0.1', resolve));
  w = await behaviorWorld();
  ({ db, count } = await ownerDb());
  redis = connectRedis(inject('redisUrl'), 'behavior-communications-test');
});
afterAll(async () => {
  await db?.end();
  await redis?.quit();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const unique = () => randomUUID().slice(0, 8);

/** An email and an in-app template and a rule for each on `trigger`; returns the rule ids. */
async function rules(trigger: string): Promise<string[]> {
  const ids: string[] = [];
  for (const channel of ['email', 'app']) {
    const template = await ok(w.admin, TEMPLATE, {
      input: {
        name: `${trigger} ${channel} ${unique()}`,
        templateType: trigger,
        channel,
        subject: 'About {{student.firstName}}',
        body: 'Dear {{guardian.firstName}}, {{student.firstName}}: {{request.behaviorType}} ({{request.status}}).',
      },
    });
    const rule = await ok(w.admin, RULE, {
      input: { name: `${trigger} ${channel} ${unique()}`, trigger, templateId: template.createCommunicationTemplate.id },
    });
    ids.push(rule.createCommunicationRule.id);
  }
  return ids;
}
const disable = (ids: string[]) => Promise.all(ids.map((id) => ok(w.admin, UPDATE_RULE, { id, input: { enabled: false } })));

/** A family whose guardian (a person of their own) wants email and in-app messages, and a student of it in the teacher's caseload. */
async function household(email: string, studentUser?: SeededPerson) {
  const guardian = await w.f.person('guardian');
  const familyId = (await ok(w.admin, CREATE_FAMILY, { input: { familyName: `Family ${unique()}` } })).createFamily.familyId;
  const guardianId = (
    await ok(w.admin, ADD_GUARDIAN, {
      f: familyId,
      input: {
        firstName: 'Hana',
        lastName: 'Reyes',
        relationship: 'aunt',
        email,
        userId: guardian.id,
        notificationPreferences: { email: true, app: true },
      },
    })
  ).addGuardian.guardianId as string;
  const studentId = await w.student({ familyId, firstName: 'Milo', userId: studentUser?.id });
  return { guardian, guardianId, studentId };
}

/** The admin's view of a request's messages, by channel. */
async function logsOf(requestId: string): Promise<Record<string, Answer>> {
  const res = await ok(w.admin, LOGS, { filter: { requestId } });
  return Object.fromEntries(res.communicationLogs.nodes.map((l: Answer) => [l.channel, l]));
}
const settled = (requestId: string, channel: string, status: string) =>
  expect.poll(async () => (await logsOf(requestId))[channel]?.status, { timeout: 15_000, interval: 100 }).toBe(status);

describe('communication rules', () => {
  it('an admin creates and changes rules; other roles, another tenant and bad input are refused, writing nothing', async () => {
    const template = await ok(w.admin, TEMPLATE, {
      input: {
        name: `Opened ${unique()}`,
        templateType: 'request_opened',
        channel: 'email',
        subject: 'Hi',
        body: 'Hello {{guardian.firstName}}',
      },
    });
    const templateId = template.createCommunicationTemplate.id;
    const name = `Tell guardians ${unique()}`;
    const made = await ok(w.admin, RULE, { input: { name, trigger: 'request_opened', templateId, enabled: false } });
    expect(made.createCommunicationRule).toMatchObject({
      name,
      trigger: 'request_opened',
      enabled: false,
      channel: 'email',
      template: { id: templateId },
      createdBy: { id: w.admin.id },
    });
    const id = made.createCommunicationRule.id;
    const listed = await ok(w.admin, `{ communicationRules { id } }`);
    expect(listed.communicationRules).toContainEqual({ id });

    const before = await count('SELECT count(*) n FROM behavior.communication_rules WHERE tenant_id = $1', [w.t.id]);
    const input = { name: `Other ${unique()}`, trigger: 'request_opened', templateId };
    expect(codes(await run(w.teacher, RULE, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await run(w.guardian, RULE, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await run(w.foreignAdmin, RULE, { input }))).toEqual(['NOT_FOUND']); // another tenant's template
    expect(codes(await run(w.admin, RULE, { input: { ...input, templateId: randomUUID() } }))).toEqual(['NOT_FOUND']);
    const blank = await run(w.admin, RULE, { input: { ...input, name: '  ' } });
    expect(blank.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { name: expect.any(String) } });
    const taken = await run(w.admin, RULE, { input: { ...input, name } });
    expect(taken.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE' });
    expect(await count('SELECT count(*) n FROM behavior.communication_rules WHERE tenant_id = $1', [w.t.id])).toBe(before);

    expect((await ok(w.admin, UPDATE_RULE, { id, input: { enabled: true } })).updateCommunicationRule.enabled).toBe(true);
    expect(codes(await run(w.foreignAdmin, UPDATE_RULE, { id, input: { enabled: false } }))).toEqual(['NOT_FOUND']);
    expect(codes(await run(w.teacher, UPDATE_RULE, { id, input: { enabled: false } }))).toEqual(['FORBIDDEN']);
    await ok(w.admin, UPDATE_RULE, { id, input: { enabled: false } });
    expect((await db.query('SELECT enabled FROM behavior.communication_rules WHERE id = $1', [id])).rows[0].enabled).toBe(false);
  });
});

describe('sending', () => {
  it('email that fails twice then succeeds: the log shows 3 attempts and the message arrived once; in-app goes to the inbox', async () => {
    const ruleIds = await rules('request_opened');
    const address = `flaky-${unique()}@example.org`;
    refusals.set(address, 2);
    const { guardianId, studentId } = await household(address);
    try {
      const requestId = (await ok(w.teacher, OPEN, { s: studentId })).openBehaviorRequest.requestId;
      await settled(requestId, 'email', 'sent');
      const logs = await logsOf(requestId);
      expect(logs.email).toMatchObject({
        recipient: address,
        subject: 'About Milo',
        body: 'Dear Hana, Milo: disruption (open).',
        attempts: 3,
        lastError: expect.stringContaining('451'),
        sentAt: expect.any(String),
        failedAt: null,
        trigger: 'request_opened',
        guardian: { id: guardianId },
        student: { id: studentId },
      });
      expect(ruleIds).toContain(logs.email!.rule.id);
      expect(mailTo(address)).toHaveLength(1);
      expect(mailTo(address)[0]!.raw).toContain('Dear Hana, Milo: disruption (open).');
      await settled(requestId, 'app', 'sent');
      expect((await logsOf(requestId)).app).toMatchObject({ recipient: null, attempts: 1, lastError: null });
    } finally {
      await disable(ruleIds);
    }
  });

  it('a request trend turning worsening tells opted-in guardians once, from the insights job, naming the latest request', async () => {
    const ruleIds = await rules('pattern_worsening');
    const address = `worsening-${unique()}@example.org`;
    const { guardianId, studentId } = await household(address);
    const patternLogs = async () =>
      ((await ok(w.admin, LOGS, { filter: { studentId } })).communicationLogs.nodes as Answer[]).filter(
        (l) => l.trigger === 'pattern_worsening',
      );
    try {
      const requestIds: string[] = [];
      // Three requests: too little data for a trend, so nothing to tell (the insights test shows the same history turning worsening on the fourth).
      for (let i = 0; i < 3; i++) requestIds.push((await ok(w.teacher, OPEN, { s: studentId })).openBehaviorRequest.requestId);
      await expect
        .poll(async () => (await ok(w.teacher, INSIGHTS, { id: studentId })).student.insights.length, { timeout: 15_000 })
        .toBe(4);
      expect(await patternLogs()).toEqual([]);
      requestIds.push((await ok(w.teacher, OPEN, { s: studentId })).openBehaviorRequest.requestId);
      await expect
        .poll(async () => (await patternLogs()).map((l) => `${l.channel}:${l.status}`).sort(), { timeout: 20_000, interval: 200 })
        .toEqual(['app:sent', 'email:sent']);
      const email = (await patternLogs()).find((l) => l.channel === 'email')!;
      expect(email).toMatchObject({ recipient: address, body: 'Dear Hana, Milo: disruption (open).', guardian: { id: guardianId } });
      expect(mailTo(address)).toHaveLength(1);
      const logged = await db.query<{ request_id: string }>(
        `SELECT request_id FROM behavior.communication_logs WHERE student_id = $1 AND trigger = 'pattern_worsening'`,
        [studentId],
      );
      expect(new Set(logged.rows.map((r) => r.request_id))).toEqual(new Set([requestIds[3]]));
    } finally {
      await disable(ruleIds);
    }
  });

  it('a message whose every attempt fails is failed with its error, and an admin can send it again', async () => {
    const ruleIds = await rules('request_resolved');
    const address = `down-${unique()}@example.org`;
    refusals.set(address, 3);
    const { studentId } = await household(address);
    try {
      const requestId = (await ok(w.teacher, OPEN, { s: studentId })).openBehaviorRequest.requestId;
      await ok(w.teacher, MOVE, { id: requestId, status: 'resolved' });
      await settled(requestId, 'email', 'failed');
      const failed = (await logsOf(requestId)).email!;
      expect(failed).toMatchObject({ attempts: 3, lastError: expect.stringContaining('451'), sentAt: null, failedAt: expect.any(String) });
      expect(mailTo(address)).toHaveLength(0);
      // Sent and failed messages publish their status (never their text).
      const events = async () =>
        (await redis.xrevrange(EVENT_STREAM, '+', '-', 'COUNT', 5000))
          .map(([, fields]) => JSON.parse(fields[1]!) as Answer)
          .filter((e) => e.type === 'behavior.communication.status_changed' && e.entityId === failed.id);
      await expect.poll(async () => (await events()).map((e) => e.payload.status), { timeout: 10_000 }).toEqual(['failed']);
      expect(JSON.stringify(await events())).not.toContain('Milo');

      expect(codes(await run(w.teacher, RETRY, { id: failed.id }))).toEqual(['FORBIDDEN']);
      expect(codes(await run(w.foreignAdmin, RETRY, { id: failed.id }))).toEqual(['NOT_FOUND']);
      expect((await ok(w.admin, RETRY, { id: failed.id })).retryCommunication.status).toBe('queued');
      await settled(requestId, 'email', 'sent');
      expect((await logsOf(requestId)).email).toMatchObject({ attempts: 4, failedAt: null });
      expect(mailTo(address)).toHaveLength(1);
      const again = await run(w.admin, RETRY, { id: failed.id });
      expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_TRANSITION' });
    } finally {
      await disable(ruleIds);
    }
  });
});

describe('guardian inbox', () => {
  it('a guardian sees only their own messages, never a reflection; sending details and others see nothing', async () => {
    const ruleIds = await rules('reflection_completed');
    const studentUser = await w.f.resident();
    const address = `inbox-${unique()}@example.org`;
    const { guardian, studentId } = await household(address, studentUser);
    try {
      const requestId = (await ok(w.teacher, OPEN, { s: studentId })).openBehaviorRequest.requestId;
      await ok(w.teacher, MOVE, { id: requestId, status: 'reflection_assigned' });
      const secret = `I felt ashamed ${unique()}`;
      await ok(studentUser, SUBMIT, {
        id: requestId,
        input: { content: secret, moodRating: 2, responses: [{ prompt: 'Why?', answer: secret }] },
      });
      await settled(requestId, 'app', 'sent');
      await settled(requestId, 'email', 'sent');

      const inbox = (await ok(guardian, INBOX)).communicationInbox.nodes as Answer[];
      expect(
        inbox
          .filter((m) => m.request?.id === requestId)
          .map((m) => m.channel)
          .sort(),
      ).toEqual(['app', 'email']);
      expect(inbox.find((m) => m.channel === 'app')).toMatchObject({
        subject: 'About Milo',
        body: 'Dear Hana, Milo: disruption (reflection_completed).',
        student: { id: studentId, firstName: 'Milo' },
      });
      // The reflection reaches no message: not the inbox, the email, nor the stored logs.
      expect(JSON.stringify(inbox)).not.toContain(secret);
      expect(mailTo(address)).toHaveLength(1);
      expect(mailTo(address)[0]!.raw).not.toContain(secret);
      expect(await count(`SELECT count(*) n FROM behavior.communication_logs WHERE body LIKE $1 OR subject LIKE $1`, [`%${secret}%`])).toBe(
        0,
      );

      // Sending details stay with administrators (denied locally); a guardian cannot list the logs.
      const messageId = inbox.find((m) => m.channel === 'email')!.id;
      const detail = await run(guardian, `query($id: UUID!) { communicationLog(id: $id) { id body attempts lastError } }`, {
        id: messageId,
      });
      expect(detail.data!.communicationLog).toMatchObject({ id: messageId, attempts: null, lastError: null });
      expect(codes(detail)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
      expect(codes(await run(guardian, LOGS))).toEqual(['FORBIDDEN']);
      // Another guardian, the teacher and the student see none of it.
      for (const other of [w.guardian, w.teacher, studentUser]) {
        const theirs = (await ok(other, INBOX)).communicationInbox.nodes as Answer[];
        expect(theirs.map((m) => m.id)).not.toContain(messageId);
        expect((await ok(other, `query($id: UUID!) { communicationLog(id: $id) { id } }`, { id: messageId })).communicationLog).toBeNull();
      }
    } finally {
      await disable(ruleIds);
    }
  });

  it('the guardian acknowledges an in-app message: sent becomes delivered, published once; email, others and bad ids are refused', async () => {
    const ACK = `mutation($id: UUID!) { acknowledgeCommunication(id: $id) { id status deliveredAt } }`;
    const ruleIds = await rules('request_opened');
    const { guardian, studentId } = await household(`ack-${unique()}@example.org`);
    try {
      const requestId = (await ok(w.teacher, OPEN, { s: studentId })).openBehaviorRequest.requestId;
      await settled(requestId, 'app', 'sent');
      await settled(requestId, 'email', 'sent');
      const { app, email } = await logsOf(requestId);
      const events = async () =>
        (await redis.xrevrange(EVENT_STREAM, '+', '-', 'COUNT', 5000))
          .map(([, fields]) => JSON.parse(fields[1]!) as Answer)
          .filter((e) => e.type === 'behavior.communication.status_changed' && e.entityId === app!.id && e.payload.status === 'delivered');

      // Not theirs to acknowledge: another guardian and the teacher do not see it; the admin sees it but may not.
      for (const other of [w.guardian, w.teacher]) expect(codes(await run(other, ACK, { id: app!.id }))).toEqual(['NOT_FOUND']);
      expect(codes(await run(w.admin, ACK, { id: app!.id }))).toEqual(['FORBIDDEN']);
      expect(codes(await run(guardian, ACK, { id: 'not-a-uuid' }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await run(guardian, ACK, { id: randomUUID() }))).toEqual(['NOT_FOUND']);
      const refusedEmail = await run(guardian, ACK, { id: email!.id });
      expect([codes(refusedEmail), refusedEmail.errors![0]!.extensions!.reason]).toEqual([['CONFLICT'], 'INVALID_TRANSITION']);
      expect((await logsOf(requestId)).email!.status).toBe('sent');
      expect((await logsOf(requestId)).app!.status).toBe('sent');

      const acked = (await ok(guardian, ACK, { id: app!.id })).acknowledgeCommunication;
      expect(acked).toEqual({ id: app!.id, status: 'delivered', deliveredAt: expect.any(String) });
      expect((await logsOf(requestId)).app!.status).toBe('delivered');
      await expect.poll(async () => (await events()).length, { timeout: 10_000 }).toBe(1);
      expect((await events())[0]).toMatchObject({ tenantId: w.t.id, userId: guardian.id, payload: { channel: 'app' } });
      // Again: the message as it is, nothing new published.
      expect((await ok(guardian, ACK, { id: app!.id })).acknowledgeCommunication).toEqual(acked);
      await new Promise((r) => setTimeout(r, 300));
      expect(await events()).toHaveLength(1);
    } finally {
      await disable(ruleIds);
    }
  });
});
