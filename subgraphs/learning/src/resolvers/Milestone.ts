import type { LearningContext } from '../context.ts';
import type { MilestoneResolvers } from '../generated/graphql.ts';

export const Milestone: MilestoneResolvers = {
  __resolveReference: (ref, ctx: LearningContext) => ctx.loaders.milestone.load(ref.id),
  user: (row) => ({ id: row.userId }),
  course: (row, _, ctx) => ctx.loaders.course.load(row.courseId),
};
