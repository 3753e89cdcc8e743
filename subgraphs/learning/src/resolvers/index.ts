import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLResolverMap } from '@pathway/kit';
import type { LearningContext } from '../context.ts';
import { Course } from './Course.ts';
import { CourseEnrollment } from './CourseEnrollment.ts';
import { ProviderPlatform } from './ProviderPlatform.ts';
import { Query } from './Query.ts';
import { User } from './User.ts';

export const resolvers = {
  DateTime: DateTimeResolver,
  Query,
  Course,
  ProviderPlatform,
  CourseEnrollment,
  User,
} as unknown as GraphQLResolverMap<LearningContext>;
