import { DateTimeResolver } from 'graphql-scalars';
import type { Resolvers } from '../generated/graphql.ts';
import { Course } from './Course.ts';
import { CourseEnrollment } from './CourseEnrollment.ts';
import { ProviderPlatform } from './ProviderPlatform.ts';
import { Query } from './Query.ts';
import { User } from './User.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Query,
  Course,
  ProviderPlatform,
  CourseEnrollment,
  User,
};
