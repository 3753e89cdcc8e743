import type { LearningContext } from '../context.ts';
import type { CourseEnrollment as EnrollmentRow } from '../generated/prisma/client.ts';

export const CourseEnrollment = {
  user: (row: EnrollmentRow) => ({ __typename: 'User', id: row.userId }),
  course: (row: EnrollmentRow, _: unknown, ctx: LearningContext) => ctx.loaders.course.load(row.courseId),
};
