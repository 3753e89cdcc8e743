import { allow, and, can, isAuthenticated, or, relation, rowVisible, rule, unauthenticated, visibleRow, type RuleTree } from '@pathway/kit';
import {
  communicationLogAccess,
  communicationLogManageAccess,
  externalRecordAccess,
  familyAccess,
  insightAccess,
  guardianAccess,
  guardianContactAccess,
  interventionAccess,
  Perm,
  reflectionAccess,
  reflectionContentAccess,
  requestAccess,
  requestDetailAccess,
  studentAccess,
  studentDetailAccess,
} from './access.ts';
import type { BehaviorContext } from './context.ts';

// Row rules: the caller may see the row under the entity's access definition (access.ts), decided on the
// row where its columns suffice, else by the request's batched confirm loader (primed by the loaders that read rows).
const canSeeStudent = visibleRow<{ id: string }, BehaviorContext>(studentAccess, (ctx) => ctx.loaders.visible.student);
const canSeeFamily = visibleRow<{ id: string }, BehaviorContext>(familyAccess, (ctx) => ctx.loaders.visible.family);
const canSeeGuardian = visibleRow<{ id: string }, BehaviorContext>(guardianAccess, (ctx) => ctx.loaders.visible.guardian);
// Contact fields: the guardian themself and family readers in reach, not co-guardians.
const canSeeGuardianContact = visibleRow<{ id: string }, BehaviorContext>(
  guardianContactAccess,
  (ctx) => ctx.loaders.visible.guardianContact,
);

// A student's details beyond a guardian's summary: the student themself and callers whose caseload holds them.
const canSeeStudentDetail = visibleRow<{ id: string }, BehaviorContext>(studentDetailAccess, (ctx) => ctx.loaders.visible.studentDetail);
// An assignment is read with its student's details.
const canSeeAssignment = relation<{ studentId: string }, BehaviorContext>('caseloadAssignmentVisible', (a, ctx) =>
  rowVisible(studentDetailAccess, ctx.identity, { id: a.studentId }, ctx.loaders.visible.studentDetail),
);
// The person's own caseload / children, or those who manage caseloads / read families (the lists are cut to what the caller sees).
const isSelfUser = relation<{ id: string }, BehaviorContext>('isSelfUser', (u, ctx) => u.id === ctx.identity.userId);
// A mutation about the caller themself (its `userId` argument).
const isSelfArg = rule('isSelfArg', { cache: 'strict' })((_p, args: { userId?: string }, ctx: BehaviorContext) =>
  ctx.identity ? args.userId === ctx.identity.userId : unauthenticated(),
);

const canSeeRequest = visibleRow<{ id: string }, BehaviorContext>(requestAccess, (ctx) => ctx.loaders.visible.request);
const canSeeRequestDetail = visibleRow<{ id: string }, BehaviorContext>(requestDetailAccess, (ctx) => ctx.loaders.visible.requestDetail);
const canSeeIntervention = visibleRow<{ id: string }, BehaviorContext>(interventionAccess, (ctx) => ctx.loaders.visible.intervention);
// A note is read with its intervention.
const canSeeNote = relation<{ interventionId: string }, BehaviorContext>('progressNoteVisible', (n, ctx) =>
  rowVisible(interventionAccess, ctx.identity, { id: n.interventionId }, ctx.loaders.visible.intervention),
);

const canSeeReflection = visibleRow<{ id: string }, BehaviorContext>(reflectionAccess, (ctx) => ctx.loaders.visible.reflection);
// The most sensitive fields of the graph: the student who wrote it and staff with the student in their caseload (behavior.reflection.read).
const canReadReflection = visibleRow<{ id: string }, BehaviorContext>(
  reflectionContentAccess,
  (ctx) => ctx.loaders.visible.reflectionContent,
);

// Messages: the guardian it went to and administrators of the student; sending details administrators only.
const canSeeLog = visibleRow<{ id: string }, BehaviorContext>(communicationLogAccess, (ctx) => ctx.loaders.visible.communicationLog);
const canSeeLogDetail = visibleRow<{ id: string }, BehaviorContext>(
  communicationLogManageAccess,
  (ctx) => ctx.loaders.visible.communicationLogDetail,
);

const canSeeExternal = visibleRow<{ id: string }, BehaviorContext>(externalRecordAccess, (ctx) => ctx.loaders.visible.externalRecord);

const canSeeInsight = visibleRow<{ id: string }, BehaviorContext>(insightAccess, (ctx) => ctx.loaders.visible.insight);

export const permissions: RuleTree = {
  Mutation: {
    createFamily: can(Perm.studentManage),
    updateFamily: can(Perm.studentManage),
    archiveFamily: can(Perm.studentManage),
    createStudent: can(Perm.studentManage),
    updateStudent: can(Perm.studentManage),
    archiveStudent: can(Perm.studentManage),
    addGuardian: can(Perm.studentManage),
    updateGuardian: can(Perm.studentManage),
    archiveGuardian: can(Perm.studentManage),
    assignToCaseload: can(Perm.caseloadManage),
    removeFromCaseload: can(Perm.caseloadManage),
    openBehaviorRequest: can(Perm.requestManage),
    changeBehaviorRequestStatus: can(Perm.requestManage),
    planIntervention: can(Perm.interventionManage),
    changeInterventionStatus: can(Perm.interventionManage),
    addProgressNote: can(Perm.interventionManage),
    importStudents: can(Perm.studentManage),
    startStudentImport: can(Perm.studentManage),
    createCommunicationTemplate: can(Perm.communicationManage),
    updateCommunicationTemplate: can(Perm.communicationManage),
    createCommunicationRule: can(Perm.communicationManage),
    updateCommunicationRule: can(Perm.communicationManage),
    retryCommunication: can(Perm.communicationManage),
    // The recipient guardian only: the write checks the inbox (access.ts communicationInboxAccess).
    acknowledgeCommunication: isAuthenticated,
    ingestExternalRecords: can(Perm.externalIngest),
    confirmExternalMatch: can(Perm.externalReview),
    rejectExternalMatch: can(Perm.externalReview),
    submitReflection: can(Perm.reflectionWrite),
    reviewReflection: and(can(Perm.requestManage), can(Perm.reflectionRead)),
    // One's own topics, or an administrator's within reach: the write decides on the person (access.ts userInsightsWriteAccess).
    saveInsightTopic: or(isSelfArg, can(Perm.studentManage)),
    removeInsightTopic: or(isSelfArg, can(Perm.studentManage)),
  },
  StudentImportReport: isAuthenticated,
  StudentImportRow: isAuthenticated,
  // Imports are read through studentImportAccess (data/imports.ts): a loaded one is the caller's to see.
  StudentImport: isAuthenticated,
  StudentImportConnection: isAuthenticated,
  StudentImportEdge: isAuthenticated,
  StudentImportRowConnection: isAuthenticated,
  StudentImportRowEdge: isAuthenticated,
  SubmitReflectionPayload: isAuthenticated,
  ReviewReflectionPayload: isAuthenticated,
  Reflection: {
    '*': canSeeReflection,
    content: canReadReflection,
    moodRating: canReadReflection,
    responses: canReadReflection,
    reviewNote: canReadReflection,
  },
  ReflectionAnswer: isAuthenticated,
  CommunicationTemplate: can(Perm.communicationManage),
  CommunicationRule: can(Perm.communicationManage),
  CommunicationLog: {
    '*': canSeeLog,
    attempts: canSeeLogDetail,
    lastError: canSeeLogDetail,
    rule: canSeeLogDetail,
    lastAttemptAt: canSeeLogDetail,
    failedAt: canSeeLogDetail,
  },
  CommunicationLogConnection: isAuthenticated,
  CommunicationLogEdge: isAuthenticated,
  CommunicationStatusChangedEvent: isAuthenticated,
  ExternalRecord: canSeeExternal,
  BehaviorInsight: canSeeInsight,
  InsightChangedEvent: isAuthenticated,
  UserActivity: isAuthenticated,
  UserActivityConnection: isAuthenticated,
  UserActivityEdge: isAuthenticated,
  // Reached through Query.userInsights, User.insights and the payloads, which read by access.ts userInsightsAccess.
  UserInsights: isAuthenticated,
  UserInsightTopic: isAuthenticated,
  UserInsightSubtopic: isAuthenticated,
  UserInsightContent: isAuthenticated,
  UserInsightsMetadata: isAuthenticated,
  UserInsightTopicPayload: isAuthenticated,
  ActivityTrend: can(Perm.activityRead),
  ExternalRecordConnection: isAuthenticated,
  ExternalRecordEdge: isAuthenticated,
  IngestExternalRecordsPayload: isAuthenticated,
  ExternalRecordPayload: isAuthenticated,
  // Reached only through Student.behaviorPatterns, which decides.
  BehaviorPatterns: isAuthenticated,
  WeeklyRequestCount: isAuthenticated,
  PatternCluster: isAuthenticated,
  PatternLabelCount: isAuthenticated,
  PatternTrend: isAuthenticated,
  // Declared for the gateway, which serves subscriptions (each event's entity resolved with the subscriber's rules).
  Subscription: isAuthenticated,
  BehaviorRequestChangedEvent: isAuthenticated,
  ReflectionCompletedEvent: isAuthenticated,
  OpenBehaviorRequestPayload: isAuthenticated,
  ChangeBehaviorRequestStatusPayload: isAuthenticated,
  PlanInterventionPayload: isAuthenticated,
  ChangeInterventionStatusPayload: isAuthenticated,
  AddProgressNotePayload: isAuthenticated,
  BehaviorRequest: {
    '*': canSeeRequest,
    description: canSeeRequestDetail,
    metadata: canSeeRequestDetail,
    history: canSeeRequestDetail,
    interventions: canSeeRequestDetail,
  },
  BehaviorRequestConnection: isAuthenticated,
  BehaviorRequestEdge: isAuthenticated,
  Intervention: canSeeIntervention,
  ProgressNote: canSeeNote,
  ProgressNoteConnection: isAuthenticated,
  ProgressNoteEdge: isAuthenticated,
  // Receipts: the id acted on is always readable by the caller who acted; the entity field carries its own rules.
  CreateFamilyPayload: isAuthenticated,
  UpdateFamilyPayload: isAuthenticated,
  ArchiveFamilyPayload: isAuthenticated,
  CreateStudentPayload: isAuthenticated,
  UpdateStudentPayload: isAuthenticated,
  ArchiveStudentPayload: isAuthenticated,
  AddGuardianPayload: isAuthenticated,
  UpdateGuardianPayload: isAuthenticated,
  ArchiveGuardianPayload: isAuthenticated,
  AssignToCaseloadPayload: isAuthenticated,
  RemoveFromCaseloadPayload: isAuthenticated,
  CaseloadAssignment: canSeeAssignment,
  // Reached only through Student.changeLog / Family.changeLog, which decide.
  BehaviorChange: isAuthenticated,
  BehaviorChangeConnection: isAuthenticated,
  BehaviorChangeEdge: isAuthenticated,
  Query: {
    behaviorStats: can(Perm.aggregateRead),
    // Lists and lookups return only what the caller may see (data layer), so signing in is enough to ask.
    student: isAuthenticated,
    students: isAuthenticated,
    family: isAuthenticated,
    families: isAuthenticated,
    behaviorRequest: isAuthenticated,
    behaviorRequests: isAuthenticated,
    communicationTemplates: can(Perm.communicationManage),
    communicationRules: can(Perm.communicationManage),
    communicationLogs: can(Perm.communicationManage),
    communicationLog: isAuthenticated,
    communicationInbox: isAuthenticated,
    behaviorInsight: isAuthenticated,
    // The list is cut to what the caller may see (access.ts userActivityAccess).
    userActivity: isAuthenticated,
    userActivityTrends: can(Perm.activityRead),
    // Null unless the caller may see the document (access.ts userInsightsAccess).
    userInsights: isAuthenticated,
    externalRecords: or(can(Perm.externalReview), can(Perm.externalIngest)),
    studentImport: can(Perm.studentManage),
    studentImports: can(Perm.studentManage),
  },
  Student: {
    '*': canSeeStudent,
    additionalInfo: canSeeStudentDetail,
    caseload: canSeeStudentDetail,
    interventions: canSeeStudentDetail,
    behaviorPatterns: and(can(Perm.patternRead), canSeeStudentDetail),
    insights: and(can(Perm.patternRead), canSeeStudentDetail),
    changeLog: and(can(Perm.historyRead), canSeeStudentDetail),
  },
  Family: { '*': canSeeFamily, changeLog: and(can(Perm.historyRead), canSeeFamily) },
  Guardian: {
    '*': canSeeGuardian,
    email: canSeeGuardianContact,
    phone: canSeeGuardianContact,
    notificationPreferences: canSeeGuardianContact,
  },
  BehaviorStats: can(Perm.aggregateRead),
  GradeLevelCount: can(Perm.aggregateRead),
  FacilityStudentCount: can(Perm.aggregateRead),
  User: {
    '*': isAuthenticated,
    caseload: or(isSelfUser, can(Perm.caseloadManage)),
    children: or(isSelfUser, can(Perm.familyRead)),
  },
  Facility: isAuthenticated,
  StudentConnection: isAuthenticated,
  StudentEdge: isAuthenticated,
  FamilyConnection: isAuthenticated,
  FamilyEdge: isAuthenticated,
  GuardianConnection: isAuthenticated,
  GuardianEdge: isAuthenticated,
  PageInfo: allow,
};
