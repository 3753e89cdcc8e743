import { toConnection } from '@pathway/kit';
import type { UserResolvers } from '../generated/graphql.ts';
import { ENROLLMENT_SORT } from '../data/enrollments.ts';
import { listFavorites } from '../data/open-content.ts';
import { listSessions, personSummary } from '../data/content-activity.ts';

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

  // The field's rule admits only the person themself: the list is the caller's own favorites.
  async favorites(_user, args, ctx) {
    const { rows, query } = await ctx.db.read((tx) => listFavorites(tx, ctx.identity, args.kind, args));
    return toConnection(rows, query, 'createdAt');
  },

  // Mongo filters carry contentActivityAccess: the person's own, or within the caller's reach.
  openContentActivity: (user, args, ctx) => personSummary(ctx.mongo, ctx.identity, user.id, args),
  openContentSessions: (user, args, ctx) => listSessions(ctx.mongo, ctx.identity, user.id, args),
};
