import type { BehaviorContext } from '../context.ts';

/** User is owned by identity; this subgraph adds the person's student record. */
export const User = {
  __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
  // Null when the person has no student record or the caller may not see it.
  studentRecord: (user: { id: string }, _: unknown, ctx: BehaviorContext) => ctx.loaders.studentOfUser.load(user.id),
};
