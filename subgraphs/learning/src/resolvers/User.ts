import { toConnection, type PageArgs } from '@pathway/kit';
import type { LearningContext } from '../context.ts';
import { ENROLLMENT_SORT } from '../data/enrollments.ts';

export const User = {
  // identity owns the person; this subgraph only needs the id to hang learning fields on.
  __resolveReference: (ref: { id: string }) => ({ id: ref.id }),

  async courseEnrollments(user: { id: string }, args: PageArgs, ctx: LearningContext) {
    const { loader, query } = ctx.loaders.courseEnrollmentsOfUser(args);
    const rows = await loader.load(user.id);
    return toConnection(rows.slice(0, query.take), query, ENROLLMENT_SORT);
  },
};
