import type { PageArgs } from '@pathway/kit';
import type { CampusContext } from '../context.ts';
import { occurrencesOfClass, withRate, type RangeArgs } from './occurrences.ts';
import type { EnrollmentStatus, ProgramClass as ProgramClassRow } from '../generated/prisma/client.ts';

interface EnrollmentsArgs extends PageArgs {
  status?: EnrollmentStatus | null;
}

export const ProgramClass = {
  __resolveReference: (ref: { id: string }, ctx: CampusContext) => ctx.loaders.programClass.load(ref.id),
  program: (c: ProgramClassRow, _: unknown, ctx: CampusContext) => ctx.loaders.program.load(c.programId),
  facility: (c: ProgramClassRow, _: unknown, ctx: CampusContext) => ctx.loaders.facility.load(c.facilityId),
  enrollments: (c: ProgramClassRow, args: EnrollmentsArgs, ctx: CampusContext) =>
    ctx.loaders.enrollmentsOfClass.load({
      key: c.id,
      page: { first: args.first, after: args.after },
      filter: { status: args.status ?? null },
    }),
  activeEnrollmentCount: (c: ProgramClassRow, _: unknown, ctx: CampusContext) => ctx.loaders.activeEnrollmentCount.load(c.id),
  changeLog: (c: ProgramClassRow, args: PageArgs, ctx: CampusContext) =>
    ctx.loaders.changesOfClass.load({ key: c.id, page: { first: args.first, after: args.after }, filter: null }),
  instructors: async (c: ProgramClassRow, _: unknown, ctx: CampusContext) =>
    (await ctx.loaders.instructorsOfClass.load(c.id)).map((i) => ({ __typename: 'User', id: i.userId })),
  events: (c: ProgramClassRow, _: unknown, ctx: CampusContext) => ctx.loaders.eventsOfClass.load(c.id),
  occurrences: (c: ProgramClassRow, range: RangeArgs, ctx: CampusContext) => occurrencesOfClass(c.id, range, ctx),
  async missingAttendance(c: ProgramClassRow, range: RangeArgs, ctx: CampusContext) {
    const [occurrences, recorded] = await Promise.all([occurrencesOfClass(c.id, range, ctx), ctx.loaders.recordedOccurrences.load(c.id)]);
    const now = new Date();
    return occurrences.filter((o) => !o.cancelled && o.startsAt < now && !recorded.has(`${o.eventId}|${o.date}`));
  },
  attendanceRate: async (c: ProgramClassRow, { from, to }: RangeArgs, ctx: CampusContext) =>
    withRate(await ctx.loaders.rates('classId', from, to).load(c.id)),
};
