import { changeClassStatus, createClass, updateClass } from '../writes/classes.ts';
import { changeEnrollmentStatus, enrollResidents } from '../writes/enrollments.ts';
import { checkEnrollees } from '../writes/waitlist.ts';
import { takeAttendance } from '../writes/attendance.ts';
import { setInstructor } from '../writes/instructors.ts';
import { changeOccurrence, createEvent } from '../writes/schedules.ts';
import { publishAttendanceRecorded, publishClassStatusChanged, publishEnrollmentChanged, publishPromoted } from '../events.ts';
import type { MutationResolvers } from '../generated/graphql.ts';
import { managementMutations } from './management.ts';

// Each mutation is one transaction (checks, writes and its change log lines together: any throw
// rolls all of it back); events go to the outbox in the same transaction, published after commit.
export const Mutation: MutationResolvers = {
  ...managementMutations,

  async createProgramClass(_, { input }, ctx) {
    const created = await ctx.db.run((tx) => createClass(tx, ctx.identity, input));
    ctx.loaders.programClass.prime(created.id, created);
    return created;
  },

  async updateProgramClass(_, { id, input }, ctx) {
    const { updated } = await ctx.db.run(async (tx) => {
      const result = await updateClass(tx, ctx.identity, id, input);
      await publishPromoted(ctx.events.within(tx), result.promoted);
      return result;
    });
    ctx.loaders.programClass.clear(updated.id).prime(updated.id, updated);
    return updated;
  },

  async changeProgramClassStatus(_, args, ctx) {
    const { updated } = await ctx.db.run(async (tx) => {
      const result = await changeClassStatus(tx, ctx.identity, args.id, args.status, args.reason);
      await publishClassStatusChanged(ctx.events.within(tx), result.updated, result.previousStatus);
      return result;
    });
    ctx.loaders.programClass.clear(updated.id).prime(updated.id, updated);
    return updated;
  },

  async enrollResidents(_, args, ctx) {
    const enrollees = await checkEnrollees(ctx.db, ctx.identity, ctx.references, args.classId, args.userIds);
    const { created } = await ctx.db.run(async (tx) => {
      const result = await enrollResidents(tx, ctx.identity, enrollees);
      for (const enrollment of result.created) await publishEnrollmentChanged(ctx.events.within(tx), enrollment, null);
      return result;
    });
    for (const enrollment of created) ctx.loaders.enrollment.prime(enrollment.id, enrollment);
    return created;
  },

  async changeEnrollmentStatus(_, args, ctx) {
    const { updated } = await ctx.db.run(async (tx) => {
      const result = await changeEnrollmentStatus(tx, ctx.identity, args.id, args.status, args.reason);
      await publishEnrollmentChanged(ctx.events.within(tx), result.updated, result.previousStatus);
      await publishPromoted(ctx.events.within(tx), result.promoted);
      return result;
    });
    ctx.loaders.enrollment.clear(updated.id).prime(updated.id, updated);
    return updated;
  },

  createClassEvent: (_, args, ctx) => ctx.db.run((tx) => createEvent(tx, ctx.identity, args.classId, args.input)),

  cancelOccurrence: (_, args, ctx) =>
    ctx.db.run((tx) => changeOccurrence(tx, ctx.identity, args.eventId, args.date, { cancelled: true, reason: args.reason })),

  changeOccurrence: (_, args, ctx) =>
    ctx.db.run((tx) =>
      changeOccurrence(tx, ctx.identity, args.eventId, args.date, { ...args.input, cancelled: false, reason: args.reason }),
    ),

  async takeAttendance(_, args, ctx) {
    const result = await ctx.db.run(async (tx) => {
      const taken = await takeAttendance(tx, ctx.identity, args.eventId, args.date, args.records);
      await publishAttendanceRecorded(ctx.events.within(tx), taken.event, args.date, taken.saved.length, taken.corrected);
      return taken;
    });
    return result.saved;
  },

  assignInstructor: (_, args, ctx) => ctx.db.run((tx) => setInstructor(tx, ctx.identity, ctx.references, args.classId, args.userId, true)),

  removeInstructor: (_, args, ctx) => ctx.db.run((tx) => setInstructor(tx, ctx.identity, ctx.references, args.classId, args.userId, false)),
};
