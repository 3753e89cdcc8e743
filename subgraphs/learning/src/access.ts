import type { Filter } from 'mongodb';
import {
  aggregateFilter,
  anyOf,
  catalogReachFilter,
  defineAccess,
  hasPermission,
  reachFilter,
  reachOf,
  tenantFilter,
  NO_FACILITY,
  type Identity,
} from '@pathway/kit';
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

/**
 * Open content (libraries, videos, helpful links). Administrators (`learning.content.manage`) see
 * their tenant's whole catalog (every tenant for system reach), hidden items included, to choose
 * what is shown where. Everyone else sees what is visible at their own facility, while the facility
 * has its open_content feature on, from providers that are enabled; videos only once available.
 * A caller at no facility without the permission sees none.
 */
const managesContent = (identity: Identity) => hasPermission(identity, 'learning.content.manage');
const seesOpenContent = (identity: Identity) => identity.facilityId != null && (identity.featureFlags ?? []).includes('open_content');

function contentWhere<W>(identity: Identity, shownHere: object): W {
  if (managesContent(identity)) return tenantFilter(identity) as W;
  if (!seesOpenContent(identity)) return { id: NO_FACILITY } as W;
  return { AND: [{ tenantId: identity.tenantId }, { visibility: { some: { facilityId: identity.facilityId } } }, shownHere] } as W;
}

export const libraryAccess = defineAccess('library', (identity): Prisma.LibraryWhereInput =>
  contentWhere(identity, { provider: { currentlyEnabled: true } }),
);
export const videoAccess = defineAccess('video', (identity): Prisma.VideoWhereInput =>
  contentWhere(identity, { availability: 'available', provider: { currentlyEnabled: true } }),
);
export const helpfulLinkAccess = defineAccess('helpfulLink', (identity): Prisma.HelpfulLinkWhereInput =>
  contentWhere(identity, { OR: [{ openContentProviderId: null }, { provider: { currentlyEnabled: true } }] }),
);

/** Content providers: administration rows, the tenant's (every tenant for system reach). */
export const openContentProviderAccess = defineAccess('openContentProvider', (identity): Prisma.OpenContentProviderWhereInput =>
  managesContent(identity) ? tenantFilter(identity) : { id: NO_FACILITY },
);

/** A content request: one's own; those within reach for administrators (rows carry the requester's facility). */
export const contentRequestAccess = defineAccess('contentRequest', (identity): Prisma.ContentRequestWhereInput => {
  const own = { userId: identity.userId, tenantId: identity.tenantId };
  return managesContent(identity) ? anyOf([own, reachFilter(identity)]) : own;
});

/** Favorites are one's own, and only of items one may still see. */
export const favoriteAccess = defineAccess('openContentFavorite', (identity): Prisma.OpenContentFavoriteWhereInput => ({
  AND: [
    { userId: identity.userId, tenantId: identity.tenantId },
    {
      OR: [
        { library: libraryAccess.where(identity) },
        { video: videoAccess.where(identity) },
        { helpfulLink: helpfulLinkAccess.where(identity) },
      ],
    },
  ],
}));

/** One open-content session (MongoDB `open_content_activity`): who opened which item, when, for how long. */
export interface ContentActivityDocument {
  _id: string;
  tenant_id: string;
  facility_id: string | null;
  user_id: string;
  kind: 'library' | 'video' | 'helpful_link';
  content_id: string;
  opened_at: Date;
  last_seen_at: Date;
  closed_at: Date | null;
  duration_seconds: number;
}

/** A tenant-and-facility filter over the Mongo field names. */
const mongoReach = (reach: { tenantId?: string; facilityId?: string }) => ({
  ...(reach.tenantId ? { tenant_id: reach.tenantId } : {}),
  ...(reach.facilityId ? { facility_id: reach.facilityId } : {}),
});

/**
 * Sessions (personal: who opened what, when): one's own; others' only with
 * `learning.enrollment.read`, within reach (the documents carry the person's facility), as for
 * course enrollments.
 */
export const contentActivityAccess = defineAccess('openContentActivity', (identity): Filter<ContentActivityDocument> => {
  const own = { user_id: identity.userId, tenant_id: identity.tenantId };
  return hasPermission(identity, 'learning.enrollment.read') ? { $or: [own, mongoReach(reachFilter(identity))] } : own;
});

/**
 * Usage aggregates (counts, no person named): `learning.aggregate.read` (analysts, administrators)
 * or `learning.content.manage`, over the aggregate reach: a caller placed at a facility counts that
 * facility, one who is not their tenant. Counts go out as `Count` (small-count suppression).
 */
export const contentUsageAccess = defineAccess('openContentUsage', (identity): Filter<ContentActivityDocument> =>
  hasPermission(identity, 'learning.aggregate.read') || managesContent(identity)
    ? mongoReach(aggregateFilter(identity))
    : { _id: NO_FACILITY },
);

/** A node of the tenant's content category tree (MongoDB `content_categories`, seed 001's categories). */
export interface CategoryDocument {
  _id: string;
  tenant_id: string;
  name: string;
  /** The name compared for uniqueness among active siblings (trimmed, lower case). */
  name_key: string;
  description: string | null;
  parent_id: string | null;
  /** Ids from the root down to the parent (empty for a root): subtrees are found by `ancestors: id`. */
  ancestors: string[];
  /** Order among siblings, 0-based. */
  position: number;
  /** False once archived (the sibling-name unique index covers active categories only). */
  active: boolean;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
  created_by: string;
}

/** One item (course, library, video, helpful link) placed in a category (`content_category_items`). */
export interface CategoryItemDocument {
  _id: string;
  tenant_id: string;
  category_id: string;
  kind: 'course' | 'library' | 'video' | 'helpful_link';
  content_id: string;
  created_at: Date;
  created_by: string;
}

/**
 * The category tree is part of the catalog: everyone of the tenant who reads courses or open content
 * sees its active categories; administrators (`learning.content.manage`) archived ones too. Items
 * placed in a category are still shown only where their own access filter lets them through.
 */
export const categoryAccess = defineAccess('category', (identity): Filter<CategoryDocument> => {
  const tenant = tenantFilter(identity);
  return { ...(tenant.tenantId ? { tenant_id: tenant.tenantId } : {}), ...(managesContent(identity) ? {} : { active: true }) };
});
