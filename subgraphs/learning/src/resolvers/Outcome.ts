import type { LearningContext } from '../context.ts';
import type { OutcomeResolvers } from '../generated/graphql.ts';

export const Outcome: OutcomeResolvers = {
  __resolveReference: (ref, ctx: LearningContext) => ctx.loaders.outcome.load(ref.id),
  user: (row) => ({ id: row.userId }),
  course: (row, _, ctx) => ctx.loaders.course.load(row.courseId),
};
