import { toConnection } from '@pathway/kit';
import type { UserResolvers } from '../generated/graphql.ts';
import { ENROLLMENT_SORT } from '../data/enrollments.ts';

export const User: UserResolvers = {
  // identity owns the person; this subgraph only needs the id to hang learning fields on.
  __resolveReference: (ref) => ({ id: ref.id }),

  async courseEnrollments(user, args, ctx) {
    const { loader, query } = ctx.loaders.courseEnrollmentsOfUser(args);
    const rows = await loader.load(user.id);
    return toConnection(rows.slice(0, query.take), query, ENROLLMENT_SORT);
  },

  outcomes: (user, args, ctx) =>
    ctx.loaders.outcomesOfUser.load({ key: user.id, page: { first: args.first, after: args.after }, filter: null }),

  learningProgress: (user, _, ctx) => ctx.loaders.learningTotals.load(user.id),
};
