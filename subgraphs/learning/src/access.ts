import { anyOf, catalogReachFilter, defineAccess, hasPermission, reachFilter, reachOf, NO_FACILITY, type Identity } from '@pathway/kit';
import type { Prisma } from './generated/prisma/client.ts';

/**
 * Who may see learning's rows, said once per entity: the list queries and loaders AND these filters
 * into their queries, and the shield's row rules decide on a loaded row from the same filter.
 */

/**
 * Where a platform is available: for a caller placed at a facility, platforms with no availability
 * rows (every facility) or with their facility among them; tenant and system reach see all.
 */
const availableAt = (identity: Identity): Prisma.ProviderPlatformWhereInput =>
  reachOf(identity) === 'facility'
    ? { OR: [{ availability: { none: {} } }, { availability: { some: { facilityId: identity.facilityId ?? NO_FACILITY } } }] }
    : {};

/**
 * Catalog reach (a platform with no facility serves its whole tenant, one with a facility serves
 * that facility), narrowed to the facilities the platform is available at.
 */
export const providerPlatformAccess = defineAccess('providerPlatform', (identity): Prisma.ProviderPlatformWhereInput => ({
  AND: [catalogReachFilter(identity), availableAt(identity)],
}));

/** As for platforms: a course is seen where its platform is (removed courses included: an enrollment still names its course). */
export const courseAccess = defineAccess('course', (identity): Prisma.CourseWhereInput =>
  reachOf(identity) === 'facility'
    ? { AND: [catalogReachFilter(identity), { providerPlatform: availableAt(identity) }] }
    : catalogReachFilter(identity),
);

/**
 * A person's own learning records (in their tenant); someone else's only with
 * `learning.enrollment.read` and only rows inside the caller's reach (the rows carry the learner's
 * facility). Enrollments, milestones and outcomes share this rule.
 */
function ownOrInReach<W extends object>(identity: Identity): W {
  const own = { userId: identity.userId, tenantId: identity.tenantId };
  const inReach = reachFilter(identity);
  return (hasPermission(identity, 'learning.enrollment.read') ? anyOf([own, inReach]) : own) as W;
}

export const courseEnrollmentAccess = defineAccess('courseEnrollment', (identity): Prisma.CourseEnrollmentWhereInput =>
  ownOrInReach(identity),
);
export const milestoneAccess = defineAccess('milestone', (identity): Prisma.MilestoneWhereInput => ownOrInReach(identity));
export const outcomeAccess = defineAccess('outcome', (identity): Prisma.OutcomeWhereInput => ownOrInReach(identity));

/**
 * Provider administration rows (sync tasks, provider user mappings): the caller's tenant (every
 * tenant for system reach); a caller placed at a facility only those of platforms serving it.
 */
const administered = (identity: Identity) =>
  reachOf(identity) === 'facility'
    ? { tenantId: identity.tenantId, providerPlatform: { facilityId: identity.facilityId ?? NO_FACILITY } }
    : reachOf(identity) === 'tenant'
      ? { tenantId: identity.tenantId }
      : {};

export const syncTaskAccess = defineAccess('syncTask', (identity): Prisma.TaskWhereInput => administered(identity));
export const providerUserMappingAccess = defineAccess('providerUserMapping', (identity): Prisma.ProviderUserMappingWhereInput =>
  administered(identity),
);
