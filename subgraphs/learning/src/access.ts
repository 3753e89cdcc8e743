import { anyOf, catalogReachFilter, defineAccess, hasPermission, reachFilter, reachOf, NO_FACILITY } from '@pathway/kit';
import type { Prisma } from './generated/prisma/client.ts';

/**
 * Who may see learning's rows, said once per entity: the list queries and loaders AND these filters
 * into their queries, and the shield's row rules decide on a loaded row from the same filter.
 */

/** Catalog reach: a platform with no facility serves its whole tenant, one with a facility serves that facility. */
export const providerPlatformAccess = defineAccess('providerPlatform', (identity): Prisma.ProviderPlatformWhereInput =>
  catalogReachFilter(identity),
);

/** Catalog reach, as for platforms (removed courses included: an enrollment still names its course). */
export const courseAccess = defineAccess('course', (identity): Prisma.CourseWhereInput => catalogReachFilter(identity));

/**
 * A person's own enrollments (in their tenant); someone else's only with `learning.enrollment.read`
 * and only rows inside the caller's reach.
 */
export const courseEnrollmentAccess = defineAccess('courseEnrollment', (identity): Prisma.CourseEnrollmentWhereInput => {
  const own = { userId: identity.userId, tenantId: identity.tenantId };
  const inReach = reachFilter(identity);
  return hasPermission(identity, 'learning.enrollment.read') ? anyOf<Prisma.CourseEnrollmentWhereInput>([own, inReach]) : own;
});

/**
 * Provider administration rows (sync tasks, provider user mappings): the caller's tenant (every
 * tenant for system reach); a caller placed at a facility only those of platforms serving it.
 */
const administered = (identity: Parameters<typeof reachFilter>[0]) =>
  reachOf(identity) === 'facility'
    ? { tenantId: identity.tenantId, providerPlatform: { facilityId: identity.facilityId ?? NO_FACILITY } }
    : reachOf(identity) === 'tenant'
      ? { tenantId: identity.tenantId }
      : {};

export const syncTaskAccess = defineAccess('syncTask', (identity): Prisma.TaskWhereInput => administered(identity));
export const providerUserMappingAccess = defineAccess('providerUserMapping', (identity): Prisma.ProviderUserMappingWhereInput =>
  administered(identity),
);
