import type { UserResolvers } from '../generated/graphql.ts';

/** User is owned by identity; this subgraph adds the person's student record. */
export const User: UserResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  // Null when the person has no student record or the caller may not see it.
  studentRecord: (user, _, ctx) => ctx.loaders.studentOfUser.load(user.id),
};
