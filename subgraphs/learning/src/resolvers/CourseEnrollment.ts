import type { CourseEnrollmentResolvers } from '../generated/graphql.ts';

export const CourseEnrollment: CourseEnrollmentResolvers = {
  user: (row) => ({ id: row.userId }),
  course: (row, _, ctx) => ctx.loaders.course.load(row.courseId),
};
