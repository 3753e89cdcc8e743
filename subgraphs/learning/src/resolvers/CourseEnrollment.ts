import type { CourseEnrollmentResolvers } from '../generated/graphql.ts';
import { pairKey } from '../data/progress.ts';

export const CourseEnrollment: CourseEnrollmentResolvers = {
  user: (row) => ({ id: row.userId }),
  course: (row, _, ctx) => ctx.loaders.course.load(row.courseId),
  async progress(row, _, ctx) {
    const [completed, course] = await Promise.all([
      ctx.loaders.completedMilestones.load(pairKey(row)),
      ctx.loaders.course.load(row.courseId),
    ]);
    const total = course?.totalProgressMilestones ?? 0;
    return { milestonesCompleted: completed, milestonesTotal: total, percent: total > 0 ? Math.min(100, (completed / total) * 100) : null };
  },
  timeSpentSeconds: (row) => row.totalActivitySeconds,
  outcomes: (row, _, ctx) => ctx.loaders.outcomesOfEnrollment.load(pairKey(row)),
  milestones: (row, args, ctx) =>
    ctx.loaders.milestonesOfEnrollment.load({ key: pairKey(row), page: { first: args.first, after: args.after }, filter: null }),
};
