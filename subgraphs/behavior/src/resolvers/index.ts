import { CountScalar, DateTimeScalar, JSONScalar, LocalDateScalar, UUIDScalar, freshReadsAfterWrites } from '@pathway/kit';
import type { Resolvers } from '../generated/graphql.ts';
import { BehaviorChange } from './BehaviorChange.ts';
import { BehaviorInsight } from './BehaviorInsight.ts';
import { BehaviorRequest } from './BehaviorRequest.ts';
import { CaseloadAssignment } from './CaseloadAssignment.ts';
import { CommunicationLog } from './CommunicationLog.ts';
import { CommunicationRule } from './CommunicationRule.ts';
import { CommunicationTemplate } from './CommunicationTemplate.ts';
import { ExternalRecord } from './ExternalRecord.ts';
import { Family } from './Family.ts';
import { Guardian } from './Guardian.ts';
import { Intervention } from './Intervention.ts';
import { Mutation } from './Mutation.ts';
import { ProgressNote } from './ProgressNote.ts';
import { Query } from './Query.ts';
import { Reflection } from './Reflection.ts';
import { Student } from './Student.ts';
import { StudentImport, StudentImportReport, StudentImportRow } from './StudentImport.ts';
import { User } from './User.ts';
import { UserActivity } from './UserActivity.ts';
import { UserInsightContent, UserInsightSubtopic, UserInsightTopic, UserInsights, UserInsightsMetadata } from './UserInsights.ts';

export const resolvers: Resolvers = {
  UUID: UUIDScalar,
  Count: CountScalar,
  DateTime: DateTimeScalar,
  LocalDate: LocalDateScalar,
  JSON: JSONScalar,
  Query,
  Mutation: freshReadsAfterWrites(Mutation),
  Student,
  Family,
  Guardian,
  User,
  CaseloadAssignment,
  BehaviorChange,
  BehaviorRequest,
  Intervention,
  ProgressNote,
  Reflection,
  StudentImport,
  StudentImportReport,
  StudentImportRow,
  CommunicationTemplate,
  CommunicationRule,
  CommunicationLog,
  ExternalRecord,
  BehaviorInsight,
  UserActivity,
  UserInsights,
  UserInsightTopic,
  UserInsightSubtopic,
  UserInsightContent,
  UserInsightsMetadata,
};
