import type { CampusContext } from '../context.ts';
import type { ProgramClassResolvers } from '../generated/graphql.ts';
import { occurrencesOfClass, withRate } from './occurrences.ts';

export const ProgramClass: ProgramClassResolvers = {
  __resolveReference: (ref, ctx: CampusContext) => ctx.loaders.programClass.load(ref.id),
  program: (c, _, ctx) => ctx.loaders.program.load(c.programId),
  facility: (c, _, ctx) => ctx.loaders.facility.load(c.facilityId),
  enrollments: (c, args, ctx) =>
    ctx.loaders.enrollmentsOfClass.load({
      key: c.id,
      page: { first: args.first, after: args.after },
      filter: { status: args.status ?? null },
    }),
  activeEnrollmentCount: (c, _, ctx) => ctx.loaders.activeEnrollmentCount.load(c.id),
  changeLog: (c, args, ctx) => ctx.loaders.changesOfClass.load({ key: c.id, page: { first: args.first, after: args.after }, filter: null }),
  instructors: async (c, _, ctx) => (await ctx.loaders.instructorsOfClass.load(c.id)).map((i) => ({ id: i.userId })),
  events: (c, _, ctx) => ctx.loaders.eventsOfClass.load(c.id),
  occurrences: (c, range, ctx) => occurrencesOfClass(c.id, range, ctx),
  async missingAttendance(c, range, ctx) {
    const [occurrences, recorded] = await Promise.all([occurrencesOfClass(c.id, range, ctx), ctx.loaders.recordedOccurrences.load(c.id)]);
    const now = new Date();
    return occurrences.filter((o) => !o.cancelled && o.startsAt < now && !recorded.has(`${o.eventId}|${o.date}`));
  },
  attendanceRate: async (c, { from, to }, ctx) => withRate(await ctx.loaders.rates('classId', from, to).load(c.id)),
  waitlist: (c, args, ctx) =>
    ctx.loaders.management.waitlistOfClass.load({ key: c.id, page: { first: args.first, after: args.after }, filter: args.status ?? null }),
  waitlistCount: (c, _, ctx) => ctx.loaders.management.waitingCount.load(c.id),
};
