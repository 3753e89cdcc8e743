import { and, can, inReach, isAuthenticated, isSelf, or, type Identity, type RuleTree, type Scoped } from '@pathway/kit';
import { rule } from 'graphql-shield';
import type { CourseEnrollment } from './generated/prisma/client.ts';
import { withinCatalogReach } from '@pathway/kit';

/**
 * The parent catalog row (platform or course) serves the caller's tenant and facility. Build each
 * once: graphql-shield refuses two different rules with the same name.
 */
const inCatalogReach = (name: string) =>
  rule(`inCatalogReach:${name}`, { cache: 'strict' })((parent: Scoped, _a, ctx: { identity: Identity | null }) =>
    ctx.identity ? withinCatalogReach(ctx.identity, parent) : false,
  );
const courseInReach = inCatalogReach('course');
const platformInReach = inCatalogReach('providerPlatform');

const courseReader = and(can('learning.course.read'), courseInReach);
const providerReader = and(can('learning.provider.read'), platformInReach);
/** Name, type and state of a platform are part of the catalog; its connection details are admin detail. */
const platformCatalogReader = and(or(can('learning.provider.read'), can('learning.course.read')), platformInReach);

const ownEnrollment = isSelf<CourseEnrollment>('courseEnrollment', (row) => row.userId);
const enrollmentInReach = inReach<CourseEnrollment>('courseEnrollment', (row) => ({ tenantId: row.tenantId, facilityId: row.facilityId }));
const ownUser = isSelf<{ id: string }>('user', (user) => user.id);

export const permissions: RuleTree = {
  Query: {
    learningStats: can('learning.aggregate.read'),
    course: can('learning.course.read'),
    courses: can('learning.course.read'),
    providerPlatform: can('learning.provider.read'),
    providerPlatforms: can('learning.provider.read'),
  },
  ProviderPlatform: {
    '*': platformCatalogReader,
    accountId: providerReader,
    baseUrl: providerReader,
  },
  Course: courseReader,
  CourseEnrollment: or(ownEnrollment, and(can('learning.enrollment.read'), enrollmentInReach)),
  User: {
    id: isAuthenticated,
    // Rows are filtered again per caller when loaded: others' enrollments only within reach.
    courseEnrollments: or(ownUser, can('learning.enrollment.read')),
  },
  LearningStats: can('learning.aggregate.read'),
  CourseTypeCount: can('learning.aggregate.read'),
  ProviderPlatformCount: can('learning.aggregate.read'),
  LearningPeriodCount: can('learning.aggregate.read'),
  CourseConnection: isAuthenticated,
  CourseEdge: isAuthenticated,
  ProviderPlatformConnection: isAuthenticated,
  ProviderPlatformEdge: isAuthenticated,
  CourseEnrollmentConnection: isAuthenticated,
  CourseEnrollmentEdge: isAuthenticated,
  PageInfo: isAuthenticated,
  Facility: isAuthenticated,
  Tenant: isAuthenticated,
};
