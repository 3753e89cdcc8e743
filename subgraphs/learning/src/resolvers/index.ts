import { DateTimeScalar, UUIDScalar } from '@pathway/kit';
import type { Resolvers } from '../generated/graphql.ts';
import { Course } from './Course.ts';
import { CourseEnrollment } from './CourseEnrollment.ts';
import { ProviderPlatform } from './ProviderPlatform.ts';
import { Query } from './Query.ts';
import { User } from './User.ts';

export const resolvers: Resolvers = {
  UUID: UUIDScalar,
  DateTime: DateTimeScalar,
  Query,
  Course,
  ProviderPlatform,
  CourseEnrollment,
  User,
};
