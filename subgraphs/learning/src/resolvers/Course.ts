import type { LearningContext } from '../context.ts';
import type { CourseResolvers } from '../generated/graphql.ts';

export const Course: CourseResolvers = {
  __resolveReference: (ref, ctx: LearningContext) => ctx.loaders.course.load(ref.id),
  providerPlatform: (course, _, ctx) => ctx.loaders.providerPlatform.load(course.providerPlatformId),
  facility: (course) => (course.facilityId ? { __typename: 'Facility', id: course.facilityId } : null),
};
