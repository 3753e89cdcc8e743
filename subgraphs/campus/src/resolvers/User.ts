import type { PageArgs } from '@pathway/kit';
import type { CampusContext } from '../context.ts';
import type { EnrollmentStatus } from '../generated/prisma/client.ts';
import { withRate, type RangeArgs } from './occurrences.ts';

interface EnrollmentsArgs extends PageArgs {
  status?: EnrollmentStatus | null;
}

/** identity owns User; campus only adds fields, so a reference is all it needs. */
export const User = {
  __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
  enrollments: (user: { id: string }, args: EnrollmentsArgs, ctx: CampusContext) =>
    ctx.loaders.enrollmentsOfUser.load({
      key: user.id,
      page: { first: args.first, after: args.after },
      filter: { status: args.status ?? null },
    }),
  attendance: (user: { id: string }, args: PageArgs, ctx: CampusContext) =>
    ctx.loaders.attendanceOfUser.load({ key: user.id, page: { first: args.first, after: args.after }, filter: null }),
  attendanceRate: async (user: { id: string }, { from, to }: RangeArgs, ctx: CampusContext) =>
    withRate(await ctx.loaders.rates('userId', from, to).load(user.id)),
};
