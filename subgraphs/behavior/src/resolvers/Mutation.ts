import type { ResolverContext } from '../context.ts';
import { recordActivity } from '../data/activity.ts';
import type { MutationResolvers } from '../generated/graphql.ts';
import { assignToCaseload, removeFromCaseload } from '../writes/caseloads.ts';
import { importStudents } from '../writes/import/index.ts';
import { queueStudentImport } from '../writes/import/job.ts';
import { findImport } from '../data/imports.ts';
import { createTemplate, updateTemplate } from '../writes/templates.ts';
import { acknowledgeCommunication, createRule, queueCommunications, retryCommunication, updateRule } from '../writes/communications.ts';
import { confirmExternalMatch, ingestExternalRecords, rejectExternalMatch } from '../writes/external.ts';
import { archiveFamily, createFamily, updateFamily } from '../writes/families.ts';
import { addGuardian, archiveGuardian, updateGuardian } from '../writes/guardians.ts';
import { addProgressNote, changeInterventionStatus, planIntervention } from '../writes/interventions.ts';
import { publishCommunicationStatusChanged, publishReflectionCompleted, publishRequestOpened, publishRequestUpdated } from '../events.ts';
import { reviewReflection, submitReflection } from '../writes/reflections.ts';
import { changeRequestStatus, openRequest } from '../writes/requests.ts';
import { archiveStudent, createStudent, updateStudent } from '../writes/students.ts';
import { removeInsightTopic, saveInsightTopic } from '../writes/user-insights.ts';
import { findUserInsights } from '../data/user-insights.ts';

/** Messages a committed write queued go to the send job (a lost add is requeued at start: jobs.ts). */
const sendQueued = (ctx: ResolverContext, logIds: string[]) =>
  ctx.jobs.addBulk(
    'communication.send',
    logIds.map((logId) => ({ logId })),
  );

/** After a committed change to a student's requests or reflections: their insights are recomputed by a job, never in the write. */
const recompute = (ctx: ResolverContext, studentId: string) => ctx.jobs.add('insights.recompute', { studentId });

/** The person's insights after a change, as the caller may see them (null when they may not). */
const insightsAfter = async (ctx: ResolverContext, userId: string) =>
  (await findUserInsights(ctx.mongo, ctx.identity, [userId]))[0] ?? null;

/** The caller's action, after commit, in user_activity (seed 000). */
const activity = (ctx: ResolverContext, eventType: string, type: string, id: string) =>
  recordActivity(ctx.mongo, ctx.log, ctx.identity, eventType, { type, id });

// Each mutation is one transaction (checks, writes and its change log lines together: any throw rolls
// all of it back). Payloads name the id acted on; the entity itself is read again through the
// caller's loaders, so it is null when the change leaves it outside what they may see.
export const Mutation: MutationResolvers = {
  async createFamily(_, { input }, ctx) {
    const family = await ctx.db.run((tx) => createFamily(tx, ctx.identity, ctx.references, input));
    return { familyId: family.id, family: await ctx.loaders.family.load(family.id) };
  },
  async updateFamily(_, { id, input }, ctx) {
    const family = await ctx.db.run((tx) => updateFamily(tx, ctx.identity, id, input));
    return { familyId: family.id, family: await ctx.loaders.family.clear(family.id).load(family.id) };
  },
  async archiveFamily(_, { id, reason }, ctx) {
    const family = await ctx.db.run((tx) => archiveFamily(tx, ctx.identity, id, reason));
    return { familyId: family.id, family: await ctx.loaders.family.clear(family.id).load(family.id) };
  },

  async createStudent(_, { input }, ctx) {
    const student = await ctx.db.run((tx) => createStudent(tx, ctx.identity, ctx.references, input));
    return { studentId: student.id, student: await ctx.loaders.student.load(student.id) };
  },
  async updateStudent(_, { id, input }, ctx) {
    const student = await ctx.db.run((tx) => updateStudent(tx, ctx.identity, ctx.references, id, input));
    return { studentId: student.id, student: await ctx.loaders.student.clear(student.id).load(student.id) };
  },
  async archiveStudent(_, { id, reason }, ctx) {
    const student = await ctx.db.run((tx) => archiveStudent(tx, ctx.identity, id, reason));
    return { studentId: student.id, student: await ctx.loaders.student.clear(student.id).load(student.id) };
  },

  async addGuardian(_, { familyId, input }, ctx) {
    const guardian = await ctx.db.run((tx) => addGuardian(tx, ctx.identity, ctx.references, familyId, input));
    return { guardianId: guardian.id, guardian: await ctx.loaders.guardian.load(guardian.id) };
  },
  async updateGuardian(_, { id, input }, ctx) {
    const guardian = await ctx.db.run((tx) => updateGuardian(tx, ctx.identity, ctx.references, id, input));
    return { guardianId: guardian.id, guardian: await ctx.loaders.guardian.clear(guardian.id).load(guardian.id) };
  },
  async archiveGuardian(_, { id, reason }, ctx) {
    const guardian = await ctx.db.run((tx) => archiveGuardian(tx, ctx.identity, id, reason));
    return { guardianId: guardian.id, guardian: await ctx.loaders.guardian.clear(guardian.id).load(guardian.id) };
  },

  async assignToCaseload(_, { studentId, staffId }, ctx) {
    const assignment = await ctx.db.run((tx) => assignToCaseload(tx, ctx.identity, ctx.references, studentId, staffId));
    ctx.loaders.assignmentsOfStudent.clear(studentId);
    return { studentId, staffId, assignment };
  },
  async removeFromCaseload(_, { studentId, staffId, reason }, ctx) {
    const removed = await ctx.db.run((tx) => removeFromCaseload(tx, ctx.identity, studentId, staffId, reason));
    ctx.loaders.assignmentsOfStudent.clear(studentId);
    return { studentId, staffId, removed };
  },

  // Request and reflection events go to the outbox in the write's transaction (published after commit).
  async openBehaviorRequest(_, { studentId, input }, ctx) {
    const { request, messages } = await ctx.db.run(async (tx) => {
      const { created, student } = await openRequest(tx, ctx.identity, studentId, input);
      await publishRequestOpened(ctx.events.within(tx), created, student);
      return { request: created, messages: await queueCommunications(tx, 'request_opened', created) };
    });
    await sendQueued(ctx, messages);
    await recompute(ctx, request.studentId);
    await activity(ctx, 'request.opened', 'request', request.id);
    return { requestId: request.id, request: await ctx.loaders.request.load(request.id) };
  },
  async changeBehaviorRequestStatus(_, { id, status, reason }, ctx) {
    const { updated, previousStatus, messages } = await ctx.db.run(async (tx) => {
      const change = await changeRequestStatus(tx, ctx.identity, id, status, reason);
      await publishRequestUpdated(ctx.events.within(tx), change.updated, change.student, change.previousStatus);
      const messages = change.updated.status === 'resolved' ? await queueCommunications(tx, 'request_resolved', change.updated) : [];
      return { ...change, messages };
    });
    await sendQueued(ctx, messages);
    await recompute(ctx, updated.studentId);
    await activity(ctx, 'request.status_changed', 'request', updated.id);
    return { requestId: updated.id, previousStatus, status, request: await ctx.loaders.request.clear(updated.id).load(updated.id) };
  },

  // One transaction for the whole file: all of it or (without allowPartial) none of it.
  async importStudents(_, { input }, ctx) {
    const report = await ctx.db.run((tx) => importStudents(tx, ctx.identity, ctx.references, input, ctx.uploads));
    if (report.applied) await activity(ctx, 'students.imported', 'student_import', report.importId);
    return report;
  },

  // The job is added once the row has committed (were Redis down then, the subgraph's start requeues it).
  async startStudentImport(_, { input }, ctx) {
    const queued = await ctx.db.run((tx) => queueStudentImport(tx, ctx.identity, ctx.references, input, ctx.uploads));
    await ctx.jobs.add('students.import', { importId: queued.id });
    return ctx.db.read((tx) => findImport(tx, ctx.identity, queued.id)).then((found) => found!);
  },

  createCommunicationTemplate: (_, { input }, ctx) => ctx.db.run((tx) => createTemplate(tx, ctx.identity, input)),
  updateCommunicationTemplate: (_, { id, input }, ctx) => ctx.db.run((tx) => updateTemplate(tx, ctx.identity, id, input)),
  createCommunicationRule: (_, { input }, ctx) => ctx.db.run((tx) => createRule(tx, ctx.identity, input)),
  updateCommunicationRule: (_, { id, input }, ctx) => ctx.db.run((tx) => updateRule(tx, ctx.identity, id, input)),
  async retryCommunication(_, { id }, ctx) {
    const log = await ctx.db.run((tx) => retryCommunication(tx, ctx.identity, id));
    await sendQueued(ctx, [log.id]);
    await activity(ctx, 'communication.retried', 'communication_log', log.id);
    return log;
  },
  async acknowledgeCommunication(_, { id }, ctx) {
    const { log, changed } = await ctx.db.run(async (tx) => {
      const done = await acknowledgeCommunication(tx, ctx.identity, id);
      if (done.changed)
        await publishCommunicationStatusChanged(ctx.events.within(tx), done.log, done.log.student.facilityId, done.log.guardian.userId);
      return done;
    });
    if (changed) await activity(ctx, 'communication.acknowledged', 'communication_log', log.id);
    return log;
  },

  async ingestExternalRecords(_, { input }, ctx) {
    const result = await ctx.db.run((tx) => ingestExternalRecords(tx, ctx.identity, input));
    await recordActivity(ctx.mongo, ctx.log, ctx.identity, 'external.ingested');
    return result;
  },
  async confirmExternalMatch(_, { id, reason }, ctx) {
    const record = await ctx.db.run((tx) => confirmExternalMatch(tx, ctx.identity, id, reason));
    await activity(ctx, 'external.confirmed', 'external_record', record.id);
    return { externalRecordId: record.id, record };
  },
  async rejectExternalMatch(_, { id, reason }, ctx) {
    const record = await ctx.db.run((tx) => rejectExternalMatch(tx, ctx.identity, id, reason));
    await activity(ctx, 'external.rejected', 'external_record', record.id);
    return { externalRecordId: record.id, record };
  },

  // Seed 001 user insights live in MongoDB alone (no transaction); each change is one compare-and-set of the person's document.
  async saveInsightTopic(_, { userId, input }, ctx) {
    const { topicId } = await saveInsightTopic(ctx.mongo, ctx.references, ctx.identity, userId, input);
    await activity(ctx, 'insights.topic_saved', 'user_insights_topic', topicId);
    return { userId, topicId, insights: await insightsAfter(ctx, userId) };
  },
  async removeInsightTopic(_, { userId, topicId }, ctx) {
    await removeInsightTopic(ctx.mongo, ctx.references, ctx.identity, userId, topicId);
    await activity(ctx, 'insights.topic_removed', 'user_insights_topic', topicId);
    return { userId, topicId, insights: await insightsAfter(ctx, userId) };
  },

  async submitReflection(_, { requestId, input }, ctx) {
    const { updated, reflection, messages } = await ctx.db.run(async (tx) => {
      const done = await submitReflection(tx, ctx.identity, requestId, input);
      const events = ctx.events.within(tx);
      await publishRequestUpdated(events, done.updated, done.student, done.previousStatus);
      await publishReflectionCompleted(events, done.updated, done.student, done.reflection);
      return { ...done, messages: await queueCommunications(tx, 'reflection_completed', done.updated) };
    });
    await sendQueued(ctx, messages);
    await recompute(ctx, updated.studentId);
    await activity(ctx, 'reflection.submitted', 'reflection', reflection.id);
    ctx.loaders.request.clear(updated.id);
    return { requestId: updated.id, reflectionId: reflection.id, reflection };
  },
  async reviewReflection(_, { requestId, note }, ctx) {
    const { updated, reflection } = await ctx.db.run(async (tx) => {
      const done = await reviewReflection(tx, ctx.identity, requestId, note);
      await publishRequestUpdated(ctx.events.within(tx), done.updated, done.student, done.previousStatus);
      return done;
    });
    await activity(ctx, 'reflection.reviewed', 'reflection', reflection.id);
    ctx.loaders.request.clear(updated.id);
    return { requestId: updated.id, reflectionId: reflection.id, reflection };
  },

  async planIntervention(_, { studentId, input }, ctx) {
    const intervention = await ctx.db.run((tx) => planIntervention(tx, ctx.identity, studentId, input));
    ctx.loaders.interventionsOfStudent.clear(studentId);
    await activity(ctx, 'intervention.planned', 'intervention', intervention.id);
    return { interventionId: intervention.id, intervention };
  },
  async changeInterventionStatus(_, { id, status, reason }, ctx) {
    const intervention = await ctx.db.run((tx) => changeInterventionStatus(tx, ctx.identity, id, status, reason));
    return { interventionId: intervention.id, intervention };
  },
  async addProgressNote(_, { interventionId, input }, ctx) {
    const note = await ctx.db.run((tx) => addProgressNote(tx, ctx.identity, interventionId, input));
    await activity(ctx, 'progress.noted', 'intervention', interventionId);
    return { noteId: note.id, note };
  },
};
