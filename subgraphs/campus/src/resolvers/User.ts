import type { UserResolvers } from '../generated/graphql.ts';
import { withRate } from './occurrences.ts';

/** identity owns User; campus only adds fields, so a reference is all it needs. */
export const User: UserResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  enrollments: (user, args, ctx) =>
    ctx.loaders.enrollmentsOfUser.load({
      key: user.id,
      page: { first: args.first, after: args.after },
      filter: { status: args.status ?? null },
    }),
  attendance: (user, args, ctx) =>
    ctx.loaders.attendanceOfUser.load({ key: user.id, page: { first: args.first, after: args.after }, filter: null }),
  attendanceRate: async (user, { from, to }, ctx) => withRate(await ctx.loaders.rates('userId', from, to).load(user.id)),
  waitlistEntries: (user, args, ctx) =>
    ctx.loaders.management.waitlistOfUser.load({ key: user.id, page: { first: args.first, after: args.after }, filter: null }),
};
