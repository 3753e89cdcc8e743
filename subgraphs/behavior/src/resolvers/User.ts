import { pageInMemory } from '@pathway/kit';
import type { UserResolvers } from '../generated/graphql.ts';

/** User is owned by identity; this subgraph adds the person's student record, caseload and children. */
export const User: UserResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  // Null when the person has no student record or the caller may not see it.
  studentRecord: (user, _, ctx) => ctx.loaders.studentOfUser.load(user.id),
  caseload: async (user, args, ctx) =>
    pageInMemory(
      (await ctx.loaders.caseloadOf.load(user.id)).map((r) => r.student),
      args,
    ),
  children: async (user, args, ctx) =>
    pageInMemory(
      (await ctx.loaders.childrenOf.load(user.id)).map((r) => r.student),
      args,
    ),
  // Seed 001 user insights, as the caller may see them (access.ts userInsightsAccess); null when none.
  insights: (user, _, ctx) => ctx.loaders.userInsights.load(user.id),
};
