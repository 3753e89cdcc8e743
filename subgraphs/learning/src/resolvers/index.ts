import { CountScalar, DateTimeScalar, JSONScalar, UUIDScalar, freshReadsAfterWrites } from '@pathway/kit';
import type { Resolvers } from '../generated/graphql.ts';
import { Category, CategoryItemEdge, CategoryMutation, CategoryQuery } from './Category.ts';
import { Course } from './Course.ts';
import { Facility } from './Facility.ts';
import { CourseEnrollment } from './CourseEnrollment.ts';
import { Milestone } from './Milestone.ts';
import { Mutation } from './Mutation.ts';
import { Outcome } from './Outcome.ts';
import { ProviderPlatform } from './ProviderPlatform.ts';
import { ProviderPlatformChange } from './ProviderPlatformChange.ts';
import { ProviderUserMapping } from './ProviderUserMapping.ts';
import { Query } from './Query.ts';
import { SyncTask } from './SyncTask.ts';
import { User } from './User.ts';
import {
  ContentRequest,
  HelpfulLink,
  LearningSearchEdge,
  LearningSearchResult,
  Library,
  OpenContentFavorite,
  Video,
} from './OpenContent.ts';
import { OpenContentMutation } from './OpenContentMutation.ts';
import { OpenContentQuery } from './OpenContentQuery.ts';
import {
  OpenContentActivityMutation,
  OpenContentActivityQuery,
  OpenContentSession,
  OpenContentUsage,
  OpenContentUsageMonth,
} from './OpenContentActivity.ts';

export const resolvers: Resolvers = {
  UUID: UUIDScalar,
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  Count: CountScalar,
  Query: { ...Query, ...OpenContentQuery, ...OpenContentActivityQuery, ...CategoryQuery },
  Mutation: freshReadsAfterWrites({ ...Mutation, ...OpenContentMutation, ...OpenContentActivityMutation, ...CategoryMutation }),
  Category,
  Facility,
  CategoryItemEdge,
  OpenContentSession,
  OpenContentUsage,
  OpenContentUsageMonth,
  Library,
  Video,
  HelpfulLink,
  OpenContentFavorite,
  ContentRequest,
  LearningSearchEdge,
  LearningSearchResult,
  ProviderPlatformChange,
  SyncTask,
  Milestone,
  Outcome,
  ProviderUserMapping,
  Course,
  ProviderPlatform,
  CourseEnrollment,
  User,
};
