import type { Connection } from '@pathway/kit';
import type {
  BehaviorChange,
  BehaviorInsight,
  BehaviorRequest,
  CommunicationLog,
  CommunicationRule,
  CommunicationTemplate,
  ExternalRecord,
  Family,
  Guardian,
  Intervention,
  ProgressNote,
  Reflection,
  Student,
  TeacherStudentAssignment,
} from './generated/prisma/client.ts';

/**
 * What each GraphQL type's resolvers receive as their parent (codegen.ts reads every `…Mapper`):
 * the Prisma rows the data layer returns, kit connections over them, and `{ id }` references to
 * entities other subgraphs own.
 */
export type StudentMapper = Student;
export type FamilyMapper = Family;
export type GuardianMapper = Guardian;
export type CaseloadAssignmentMapper = TeacherStudentAssignment;
export type BehaviorChangeMapper = BehaviorChange;
export type BehaviorRequestMapper = BehaviorRequest;
export type InterventionMapper = Intervention;
export type ProgressNoteMapper = ProgressNote;
export type ReflectionMapper = Reflection;
export type CommunicationTemplateMapper = CommunicationTemplate;
export type CommunicationRuleMapper = CommunicationRule;
export type CommunicationLogMapper = CommunicationLog;
export type ExternalRecordMapper = ExternalRecord;
export type BehaviorInsightMapper = BehaviorInsight;
type ActivityRow = import('./access.ts').ActivityDocument & { id: string };
export type UserActivityMapper = ActivityRow;
export type UserActivityConnectionMapper = Connection<ActivityRow>;
export type UserActivityEdgeMapper = Connection<ActivityRow>['edges'][number];
export type UserInsightsMapper = import('./access.ts').UserInsightsDocument;
export type UserInsightTopicMapper = import('./access.ts').InsightTopicDocument;
export type UserInsightSubtopicMapper = import('./access.ts').InsightSubtopicDocument;
export type UserInsightsMetadataMapper = import('./access.ts').UserInsightsDocument['metadata'];
export type UserInsightContentMapper = import('./access.ts').InsightSubtopicDocument['content'];
export type UserInsightTopicPayloadMapper = { userId: string; topicId: string; insights: UserInsightsMapper | null };
export type ExternalRecordConnectionMapper = Connection<ExternalRecord>;
export type ExternalRecordEdgeMapper = Connection<ExternalRecord>['edges'][number];
export type IngestExternalRecordsPayloadMapper = import('./writes/external.ts').IngestResult;
export type ExternalRecordPayloadMapper = { externalRecordId: string; record: ExternalRecord | null };

export type StudentConnectionMapper = Connection<Student>;
export type StudentEdgeMapper = Connection<Student>['edges'][number];
export type FamilyConnectionMapper = Connection<Family>;
export type FamilyEdgeMapper = Connection<Family>['edges'][number];
export type GuardianConnectionMapper = Connection<Guardian>;
export type GuardianEdgeMapper = Connection<Guardian>['edges'][number];
export type BehaviorChangeConnectionMapper = Connection<BehaviorChange>;
export type BehaviorChangeEdgeMapper = Connection<BehaviorChange>['edges'][number];
export type BehaviorRequestConnectionMapper = Connection<BehaviorRequest>;
export type BehaviorRequestEdgeMapper = Connection<BehaviorRequest>['edges'][number];
export type ProgressNoteConnectionMapper = Connection<ProgressNote>;
export type ProgressNoteEdgeMapper = Connection<ProgressNote>['edges'][number];
export type CommunicationLogConnectionMapper = Connection<CommunicationLog>;
export type CommunicationLogEdgeMapper = Connection<CommunicationLog>['edges'][number];

/** Owned by identity: this subgraph adds `studentRecord` to a user it knows only by id. */
export type UserMapper = { id: string };
/** Owned by campus (not resolvable here): a reference by id. */
export type FacilityMapper = { id: string };

/** The CSV import's answer and its rows (writes/import), built in memory. */
export type StudentImportReportMapper = import('./writes/import/index.ts').ImportReport;
export type StudentImportRowMapper = import('./writes/import/plan.ts').ReportRow;
/** A student import's row (data/imports.ts: without the kept file) and its pages. */
export type StudentImportMapper = import('./data/imports.ts').StudentImportRecord;
export type StudentImportConnectionMapper = Connection<import('./data/imports.ts').StudentImportRecord>;
export type StudentImportEdgeMapper = Connection<import('./data/imports.ts').StudentImportRecord>['edges'][number];
export type StudentImportRowConnectionMapper = Connection<import('./writes/import/plan.ts').ReportRow>;
export type StudentImportRowEdgeMapper = Connection<import('./writes/import/plan.ts').ReportRow>['edges'][number];
