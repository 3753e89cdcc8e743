import {
  anyOf,
  defineAccess,
  hasPermission,
  isPlaced,
  NO_FACILITY,
  reachFilter,
  reachOf,
  tenantFilter,
  type ScopeSettings,
  type Identity,
  type PermissionKey,
} from '@pathway/kit';
import type { Filter } from 'mongodb';
import type { Prisma } from './generated/prisma/client.ts';

/**
 * Who may see students, families and guardians, said once per entity: lists and loaders AND
 * `access.where(identity)` into their queries, and the shield rules (permissions.ts) decide on a
 * loaded row from the same filter (`visibleRow`).
 */

/** The permission keys this subgraph checks (rows of identity's RBAC catalog). */
export const Perm = {
  studentRead: 'behavior.student.read',
  familyRead: 'behavior.family.read',
  aggregateRead: 'behavior.aggregate.read',
  studentManage: 'behavior.student.manage',
  caseloadManage: 'behavior.caseload.manage',
  historyRead: 'behavior.history.read',
  requestManage: 'behavior.request.manage',
  interventionManage: 'behavior.intervention.manage',
  reflectionRead: 'behavior.reflection.read',
  reflectionWrite: 'behavior.reflection.write',
  patternRead: 'behavior.pattern.read',
  communicationManage: 'behavior.communication.manage',
  externalIngest: 'behavior.external.ingest',
  externalReview: 'behavior.external.review',
  activityRead: 'behavior.activity.read',
} as const satisfies Record<string, PermissionKey>;

/**
 * How far a caller's permission-based access to student records goes (DOMAIN.md roles table):
 * admins by reach; staff only students assigned to them (seed 002 "teachers access class
 * students"); everyone else (resident, guardian, partner, analyst, integrator) only through a
 * relationship (self, linked guardian), whatever permissions their role carries: a guardian's
 * `behavior.student.read` must not open their whole facility.
 */
export type Caseload = 'system' | 'tenant' | 'facility' | 'assigned' | 'none';

export function caseloadOf(identity: Identity): Caseload {
  const reach = reachOf(identity);
  if (reach !== 'facility') return reach;
  if (identity.roles.includes('facility_admin')) return 'facility';
  if (identity.roles.includes('staff')) return 'assigned';
  return 'none';
}

/** Matches no row (Prisma has no literal `false`); decided on a loaded row too, since every row has an id. */
const NOTHING = { id: { in: [] as string[] } };

/** Tenant-wide caseloads (system, tenant) see every family and guardian of their reach, which the row's tenant decides. */
const isTenantWide = (caseload: Caseload) => caseload === 'system' || caseload === 'tenant';

/** Students inside the caller's caseload: in reach for admins, in reach and assigned to them for staff. */
function studentCaseload(identity: Identity): Prisma.StudentWhereInput {
  const caseload = caseloadOf(identity);
  if (caseload === 'none') return NOTHING;
  const reach = reachFilter(identity);
  if (caseload === 'assigned') return { AND: [reach, { assignments: { some: { teacherId: identity.userId } } }] };
  return reach;
}

/**
 * Families in the caller's caseload: tenant-wide callers every family in reach; facility admins the
 * families their facility keeps and those with a student of theirs; staff, families with a student in their caseload.
 */
function familyCaseload(identity: Identity): Prisma.FamilyWhereInput {
  const caseload = caseloadOf(identity);
  if (caseload === 'none') return NOTHING;
  if (isTenantWide(caseload)) return tenantFilter(identity);
  const withStudent = { students: { some: studentCaseload(identity) } };
  return caseload === 'facility' ? { OR: [{ facilityId: identity.facilityId ?? NO_FACILITY }, withStudent] } : withStudent;
}

/** Guardians of the families in the caller's caseload (tenant-wide callers: by the guardian's own tenant). */
function guardianCaseload(identity: Identity): Prisma.GuardianWhereInput {
  const caseload = caseloadOf(identity);
  if (caseload === 'none') return NOTHING;
  return isTenantWide(caseload) ? tenantFilter(identity) : { family: familyCaseload(identity) };
}

/** The caller is a guardian of the family (a Guardian row with their user id, not archived). */
const guardedBy = (identity: Identity) => ({ guardians: { some: { userId: identity.userId, archivedAt: null } } });

/** Students: the student themself; with behavior.student.read, their linked guardians and callers whose caseload holds them. */
export const studentAccess = defineAccess<Prisma.StudentWhereInput>('student', (identity) => {
  const branches: Prisma.StudentWhereInput[] = [{ userId: identity.userId }];
  if (hasPermission(identity, Perm.studentRead)) branches.push({ family: guardedBy(identity) }, studentCaseload(identity));
  return { AND: [tenantFilter(identity), anyOf(branches)] };
});

/** Families: their guardians; with behavior.family.read, callers whose caseload holds the family. */
export const familyAccess = defineAccess<Prisma.FamilyWhereInput>('family', (identity) => {
  const branches: Prisma.FamilyWhereInput[] = [guardedBy(identity)];
  if (hasPermission(identity, Perm.familyRead)) branches.push(familyCaseload(identity));
  return { AND: [tenantFilter(identity), anyOf(branches)] };
});

/** Who may read a guardian's contact fields (email, phone, notification preferences): the guardian, and family readers in their caseload. */
function contactBranches(identity: Identity): Prisma.GuardianWhereInput[] {
  const branches: Prisma.GuardianWhereInput[] = [{ userId: identity.userId }];
  if (hasPermission(identity, Perm.familyRead)) branches.push(guardianCaseload(identity));
  return branches;
}

/** Guardians (names, relationship): whoever may read their contact fields, and the family's other guardians. */
export const guardianAccess = defineAccess<Prisma.GuardianWhereInput>('guardian', (identity) => ({
  AND: [tenantFilter(identity), anyOf([...contactBranches(identity), { family: guardedBy(identity) }])],
}));

/** A guardian's contact fields, which co-guardians do not see. */
export const guardianContactAccess = defineAccess<Prisma.GuardianWhereInput>('guardianContact', (identity) => ({
  AND: [tenantFilter(identity), anyOf(contactBranches(identity))],
}));

/** Administrators (system, tenant or facility caseload) who hold `key`; staff never manage records, whatever their role carries. */
const administers = (identity: Identity, key: PermissionKey) =>
  hasPermission(identity, key) && ['system', 'tenant', 'facility'].includes(caseloadOf(identity));

/** Students an administrator may create, change, archive (behavior.student.manage) in their reach. */
export const studentManageAccess = defineAccess<Prisma.StudentWhereInput>('studentManage', (identity) =>
  administers(identity, Perm.studentManage) ? { AND: [tenantFilter(identity), studentCaseload(identity)] } : NOTHING,
);

/** Families (and so their guardians) an administrator may change (behavior.student.manage). */
export const familyManageAccess = defineAccess<Prisma.FamilyWhereInput>('familyManage', (identity) =>
  administers(identity, Perm.studentManage) ? { AND: [tenantFilter(identity), familyCaseload(identity)] } : NOTHING,
);

/** Guardians whose family the caller may change. */
export const guardianManageAccess = defineAccess<Prisma.GuardianWhereInput>('guardianManage', (identity) => ({
  family: familyManageAccess.where(identity),
}));

/** Students whose caseload (staff assignments) an administrator may change (behavior.caseload.manage). */
export const caseloadManageAccess = defineAccess<Prisma.StudentWhereInput>('caseloadManage', (identity) =>
  administers(identity, Perm.caseloadManage) ? { AND: [tenantFilter(identity), studentCaseload(identity)] } : NOTHING,
);

/**
 * A student's details beyond the summary a guardian gets (additional info, caseload, history): the
 * student themself and callers whose caseload holds them (with behavior.student.read), never through the guardian link.
 */
export const studentDetailAccess = defineAccess<Prisma.StudentWhereInput>('studentDetail', (identity) => {
  const branches: Prisma.StudentWhereInput[] = [{ userId: identity.userId }];
  if (hasPermission(identity, Perm.studentRead)) branches.push(studentCaseload(identity));
  return { AND: [tenantFilter(identity), anyOf(branches)] };
});

/** Behavior requests: whoever may see the student (a guardian: the summary fields, see requestDetailAccess). */
export const requestAccess = defineAccess<Prisma.BehaviorRequestWhereInput>('request', (identity) => ({
  AND: [tenantFilter(identity), { student: studentAccess.where(identity) }],
}));

/** A request's description, metadata, history and interventions: with the student's details (never through the guardian link). */
export const requestDetailAccess = defineAccess<Prisma.BehaviorRequestWhereInput>('requestDetail', (identity) => ({
  AND: [tenantFilter(identity), { student: studentDetailAccess.where(identity) }],
}));

/** Students for whom the caller may open and move requests (behavior.request.manage): staff their caseload, admins their reach. */
const requestCaseload = (identity: Identity, key: PermissionKey): Prisma.StudentWhereInput =>
  hasPermission(identity, key) ? { AND: [tenantFilter(identity), studentCaseload(identity)] } : NOTHING;

export const requestStudentAccess = defineAccess<Prisma.StudentWhereInput>('requestStudent', (identity) =>
  requestCaseload(identity, Perm.requestManage),
);
export const requestManageAccess = defineAccess<Prisma.BehaviorRequestWhereInput>('requestManage', (identity) => ({
  student: requestCaseload(identity, Perm.requestManage),
}));

/** Interventions and their progress notes: the student themself and callers whose caseload holds them. */
export const interventionAccess = defineAccess<Prisma.InterventionWhereInput>('intervention', (identity) => ({
  AND: [tenantFilter(identity), { student: studentDetailAccess.where(identity) }],
}));
export const interventionStudentAccess = defineAccess<Prisma.StudentWhereInput>('interventionStudent', (identity) =>
  requestCaseload(identity, Perm.interventionManage),
);
export const interventionManageAccess = defineAccess<Prisma.InterventionWhereInput>('interventionManage', (identity) => ({
  student: requestCaseload(identity, Perm.interventionManage),
}));

/** Reflections exist (dates, review state) for whoever may see their request; guardians included. */
export const reflectionAccess = defineAccess<Prisma.ReflectionWhereInput>('reflection', (identity) => ({
  AND: [tenantFilter(identity), { request: requestAccess.where(identity) }],
}));

/**
 * A reflection's content, mood and responses, the most sensitive fields of the graph: the student
 * who wrote it, and with behavior.reflection.read callers whose caseload holds the student. Never a guardian.
 */
export const reflectionContentAccess = defineAccess<Prisma.ReflectionWhereInput>('reflectionContent', (identity) => {
  const branches: Prisma.ReflectionWhereInput[] = [{ request: { student: { userId: identity.userId } } }];
  if (hasPermission(identity, Perm.reflectionRead)) branches.push({ request: { student: studentCaseload(identity) } });
  return { AND: [tenantFilter(identity), anyOf(branches)] };
});

/** Requests the caller may write the reflection of: their own (behavior.reflection.write). */
export const requestReflectAccess = defineAccess<Prisma.BehaviorRequestWhereInput>('requestReflect', (identity) =>
  hasPermission(identity, Perm.reflectionWrite) ? { AND: [tenantFilter(identity), { student: { userId: identity.userId } }] } : NOTHING,
);

/**
 * The settings the `student_caseload` Row-Level Security policy reads (migration
 * 20261202000000_records_audit): the same caseload as above, coarser (no permission keys), so a
 * resolver that forgets its filter still cannot read students outside it. Aggregate readers pass
 * at the reach their counts need (behaviorStats).
 */
export function studentReachSettings(identity: Identity | null): ScopeSettings {
  if (!identity) return {};
  const caseload = caseloadOf(identity);
  let reach = 'own';
  if (isTenantWide(caseload)) reach = 'all';
  else if (caseload === 'facility') reach = 'facility';
  else if (hasPermission(identity, Perm.aggregateRead)) reach = isPlaced(identity) ? 'facility' : 'all';
  else if (caseload === 'assigned') reach = 'assigned';
  return { 'app.user_id': identity.userId, 'app.facility_id': identity.facilityId ?? '', 'app.student_reach': reach };
}

/** Communication rules (like the templates they send): tenant-wide, for behavior.communication.manage. */
export const communicationRuleAccess = defineAccess<Prisma.CommunicationRuleWhereInput>('communicationRule', (identity) =>
  hasPermission(identity, Perm.communicationManage) ? tenantFilter(identity) : NOTHING,
);

/** Messages to guardians as administrators see them: those about students in their caseload (behavior.communication.manage). */
export const communicationLogManageAccess = defineAccess<Prisma.CommunicationLogWhereInput>('communicationLogManage', (identity) =>
  administers(identity, Perm.communicationManage) ? { AND: [tenantFilter(identity), { student: studentCaseload(identity) }] } : NOTHING,
);

/** A guardian's own messages: to a guardian record linked to them and not archived (their inbox lists the sent ones). */
export const communicationInboxAccess = defineAccess<Prisma.CommunicationLogWhereInput>('communicationInbox', (identity) => ({
  AND: [tenantFilter(identity), { guardian: { userId: identity.userId, archivedAt: null } }],
}));

/** Messages to guardians: the guardian it went to, and administrators whose caseload holds the student. */
export const communicationLogAccess = defineAccess<Prisma.CommunicationLogWhereInput>('communicationLog', (identity) => ({
  OR: [communicationInboxAccess.where(identity), communicationLogManageAccess.where(identity)],
}));

/**
 * External (SIS) records: reviewers (behavior.external.review) see those whose student is in their
 * caseload and those they decided on (a rejected record has no student); ingesting administrators
 * (behavior.external.ingest) also those of their reach that have no student.
 */
export const externalRecordAccess = defineAccess<Prisma.ExternalRecordWhereInput>('externalRecord', (identity) => {
  const branches: Prisma.ExternalRecordWhereInput[] = [];
  if (hasPermission(identity, Perm.externalReview))
    branches.push({ student: studentCaseload(identity) }, { reviewedById: identity.userId });
  if (administers(identity, Perm.externalIngest)) branches.push({ AND: [{ studentId: null }, reachFilter(identity)] });
  return branches.length ? { AND: [tenantFilter(identity), anyOf(branches)] } : NOTHING;
});

/** Records whose match the caller may confirm or reject: the proposed student in their caseload (behavior.external.review). */
export const externalReviewAccess = defineAccess<Prisma.ExternalRecordWhereInput>('externalReview', (identity) =>
  hasPermission(identity, Perm.externalReview) ? { AND: [tenantFilter(identity), { student: studentCaseload(identity) }] } : NOTHING,
);

/** Stored insights: with the student's patterns (behavior.pattern.read, the student in the caller's caseload); never guardians. */
export const insightAccess = defineAccess<Prisma.BehaviorInsightWhereInput>('insight', (identity) =>
  hasPermission(identity, Perm.patternRead) ? { AND: [tenantFilter(identity), { student: studentCaseload(identity) }] } : NOTHING,
);

/** A user_activity document (seed 000; data/activity.ts). */
export interface ActivityDocument {
  _id: string;
  user_id: string;
  tenant_id: string;
  facility_id: string | null;
  event_type: string;
  entity_type: string | null;
  entity_id: string | null;
  timestamp: Date;
}

/**
 * A person's own behavior documents in MongoDB (user_activity, user_insights): their own, and
 * administrators' (behavior.activity.read) within their reach, by the document's tenant and facility.
 */
type PersonalDocument = { _id: string; user_id: string; tenant_id: string; facility_id: string | null };
function personalDocuments(identity: Identity): Filter<PersonalDocument> {
  const branches: Filter<PersonalDocument>[] = [{ user_id: identity.userId }];
  if (administers(identity, Perm.activityRead)) branches.push(withinReach(identity));
  return { ...tenantOfDocument(identity), $or: branches };
}
const tenantOfDocument = (identity: Identity) => {
  const tenant = tenantFilter(identity);
  return tenant.tenantId ? { tenant_id: tenant.tenantId } : {};
};
const withinReach = (identity: Identity): Filter<PersonalDocument> => {
  const reach = reachFilter(identity);
  return { ...(reach.tenantId ? { tenant_id: reach.tenantId } : {}), ...(reach.facilityId ? { facility_id: reach.facilityId } : {}) };
};

/** User activity: a person's own, and administrators' (behavior.activity.read) within their reach (the acting person's tenant and facility). */
export const userActivityAccess = defineAccess<Filter<ActivityDocument>>('userActivity', (identity) => personalDocuments(identity));

/** A subtopic of a user_insights topic (seed 001). */
export interface InsightSubtopicDocument {
  subtopic_id: string;
  name: string;
  content: { key_points: string[]; resources: string[] };
  created_at: Date;
  updated_at: Date;
}

/** A topic of a user_insights document (seed 001). */
export interface InsightTopicDocument {
  topic_id: string;
  name: string;
  description: string | null;
  subtopics: InsightSubtopicDocument[];
  created_at: Date;
  updated_at: Date;
}

/**
 * A user_insights document (seed 001; data/user-insights.ts): one per person. `facility_id` (beyond
 * the seed) is the person's facility as identity vouched for it at the last save, for reach.
 */
export interface UserInsightsDocument {
  _id: string;
  user_id: string;
  tenant_id: string;
  facility_id: string | null;
  topics: InsightTopicDocument[];
  metadata: { profile_completeness: number; interest_score: number };
  created_at: Date;
  updated_at: Date;
}

/** A person's interest topics: read by the same rule as their activity (the person, activity readers in reach). */
export const userInsightsAccess = defineAccess<Filter<UserInsightsDocument>>('userInsights', (identity) => personalDocuments(identity));

/**
 * Whose interest topics the caller may change: their own, and (behavior.student.manage,
 * administrators) those of people within their reach; decided on the person as identity vouches for them.
 */
export const userInsightsWriteAccess = defineAccess<Filter<PersonalDocument>>('userInsightsWrite', (identity) => {
  const branches: Filter<PersonalDocument>[] = [{ user_id: identity.userId }];
  if (administers(identity, Perm.studentManage)) branches.push(withinReach(identity));
  return { ...tenantOfDocument(identity), $or: branches };
});

/**
 * Student imports (their counts and report rows name students): the administrator who started one,
 * and tenant-wide administrators who manage students (system, tenant) for every import of the tenant.
 */
export const studentImportAccess = defineAccess<Prisma.StudentImportWhereInput>('studentImport', (identity) => {
  const own: Prisma.StudentImportWhereInput = { actorId: identity.userId };
  const tenantWide = isTenantWide(caseloadOf(identity)) && hasPermission(identity, Perm.studentManage);
  return { AND: [tenantFilter(identity), tenantWide ? {} : own] };
});
