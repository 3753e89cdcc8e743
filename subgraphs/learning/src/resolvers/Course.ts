import type { LearningContext } from '../context.ts';
import type { Course as CourseRow } from '../generated/prisma/client.ts';

export const Course = {
  __resolveReference: (ref: { id: string }, ctx: LearningContext) => ctx.loaders.course.load(ref.id),
  providerPlatform: (course: CourseRow, _: unknown, ctx: LearningContext) => ctx.loaders.providerPlatform.load(course.providerPlatformId),
  facility: (course: CourseRow) => (course.facilityId ? { __typename: 'Facility', id: course.facilityId } : null),
};
