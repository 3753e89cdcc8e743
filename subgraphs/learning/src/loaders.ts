import DataLoader from 'dataloader';
import type { Db } from 'mongodb';
import {
  byIdLoader,
  callerReads,
  groupLoader,
  membershipLoader,
  pagedGroupLoader,
  primeVisible,
  type Identity,
  type PageArgs,
  type PageQuery,
  type ScopedDb,
} from '@pathway/kit';
import type { CourseEnrollment, Milestone, Outcome, Prisma, ProviderPlatformChange } from './generated/prisma/client.ts';
import { availabilityOfPlatforms, changesOfPlatforms } from './data/provider-details.ts';
import { findMappingsByIds, findTasksByIds } from './data/tasks.ts';
import {
  completedMilestones,
  findMilestonesByIds,
  findOutcomesByIds,
  learningTotals,
  milestonesOfPairs,
  outcomesOfPairs,
  outcomesOfUsers,
  pairKey,
  type LearningTotals,
} from './data/progress.ts';
import { findCoursesByIds, visibleCourseIds } from './data/courses.ts';
import { enrollmentPage, enrollmentsOfUsers, visibleEnrollmentIds } from './data/enrollments.ts';
import { findPlatformsByIds, visiblePlatformIds } from './data/providers.ts';
import {
  favoriteItemIds,
  findContentProvidersByIds,
  findContentRequestsByIds,
  findHelpfulLinksByIds,
  findLibrariesByIds,
  findVideosByIds,
  visibilityOfItems,
} from './data/open-content.ts';
import { findCategoriesByIds } from './data/categories.ts';

type Tx = Prisma.TransactionClient;

/**
 * Per-request batching: every lookup by id in one GraphQL request becomes one query per kind, and
 * `User.courseEnrollments` over a list of people is one query per distinct page (first/after).
 * Every loader reads through the entity's access filter (access.ts) and primes the entity's
 * `…Visible` loader (the row rule's database fallback) with what it read.
 * Without an identity nothing is loaded (the shield refuses such requests before they get here).
 */
export function createLoaders(db: ScopedDb<Tx>, identity: Identity | null, mongo: Db) {
  const { as, confirm } = callerReads(db, identity);
  const courseVisible = confirm(visibleCourseIds);
  const providerPlatformVisible = confirm(visiblePlatformIds);
  const courseEnrollmentVisible = confirm(visibleEnrollmentIds);
  const milestoneVisible = confirm((tx, who, ids) => findMilestonesByIds(tx, who, ids));
  const outcomeVisible = confirm((tx, who, ids) => findOutcomesByIds(tx, who, ids));
  const libraryVisible = confirm(findLibrariesByIds);
  const videoVisible = confirm(findVideosByIds);
  const helpfulLinkVisible = confirm(findHelpfulLinksByIds);
  const contentRequestVisible = confirm(findContentRequestsByIds);
  const pages = new Map<string, DataLoader<string, CourseEnrollment[]>>();
  return {
    courseVisible,
    providerPlatformVisible,
    courseEnrollmentVisible,
    milestoneVisible,
    outcomeVisible,
    course: byIdLoader(async (ids) => primeVisible(courseVisible, await as([], (tx, who) => findCoursesByIds(tx, who, ids)))),
    providerPlatform: byIdLoader(async (ids) =>
      primeVisible(providerPlatformVisible, await as([], (tx, who) => findPlatformsByIds(tx, who, ids))),
    ),
    milestone: byIdLoader(async (ids) => primeVisible(milestoneVisible, await as([], (tx, who) => findMilestonesByIds(tx, who, ids)))),
    outcome: byIdLoader(async (ids) => primeVisible(outcomeVisible, await as([], (tx, who) => findOutcomesByIds(tx, who, ids)))),
    /** Completed milestones per enrollment, keyed `userId|courseId`. */
    completedMilestones: new DataLoader<string, number>(async (keys) => {
      const counts = await as(new Map<string, number>(), (tx, who) => completedMilestones(tx, who, keys));
      return keys.map((key) => counts.get(key) ?? 0);
    }),
    outcomesOfEnrollment: groupLoader<Outcome>(
      async (keys) => primeVisible(outcomeVisible, await as([], (tx, who) => outcomesOfPairs(tx, who, keys))),
      pairKey,
    ),
    milestonesOfEnrollment: pagedGroupLoader<Milestone, null>({
      sortField: 'createdAt',
      direction: 'desc',
      fetch: async (keys, _filter, page) =>
        primeVisible(milestoneVisible, await as([], (tx, who) => milestonesOfPairs(tx, who, keys, page))),
      keyOf: pairKey,
    }),
    outcomesOfUser: pagedGroupLoader<Outcome, null>({
      sortField: 'createdAt',
      direction: 'desc',
      fetch: async (keys, _filter, page) => primeVisible(outcomeVisible, await as([], (tx, who) => outcomesOfUsers(tx, who, keys, page))),
      keyOf: (row) => row.userId,
    }),
    learningTotals: new DataLoader<string, LearningTotals | null>(async (userIds) => {
      const totals = await as(new Map<string, LearningTotals>(), (tx, who) => learningTotals(tx, who, userIds));
      return userIds.map((id) => totals.get(id) ?? null);
    }),
    libraryVisible,
    videoVisible,
    helpfulLinkVisible,
    contentRequestVisible,
    library: byIdLoader(async (ids) => primeVisible(libraryVisible, await as([], (tx, who) => findLibrariesByIds(tx, who, ids)))),
    video: byIdLoader(async (ids) => primeVisible(videoVisible, await as([], (tx, who) => findVideosByIds(tx, who, ids)))),
    helpfulLink: byIdLoader(async (ids) =>
      primeVisible(helpfulLinkVisible, await as([], (tx, who) => findHelpfulLinksByIds(tx, who, ids))),
    ),
    contentRequest: byIdLoader(async (ids) =>
      primeVisible(contentRequestVisible, await as([], (tx, who) => findContentRequestsByIds(tx, who, ids))),
    ),
    openContentProvider: byIdLoader((ids) => as([], (tx, who) => findContentProvidersByIds(tx, who, ids))),
    /** Whether each item (library, video or link id) is among the caller's favorites. */
    isFavorite: membershipLoader((ids) => as(new Set<string>(), (tx, who) => favoriteItemIds(tx, who, ids))),
    /** Facility ids each item is visible at (the field's rule requires `learning.content.manage`). */
    visibilityOfItem: groupLoader(
      (ids) => as([], (tx) => visibilityOfItems(tx, ids)),
      (row) => row.itemId,
    ),
    /** Categories (MongoDB) through categoryAccess. */
    category: byIdLoader((ids) => (identity ? findCategoriesByIds(mongo, identity, ids) : Promise.resolve([]))),
    syncTask: byIdLoader((ids) => as([], (tx, who) => findTasksByIds(tx, who, ids))),
    providerUserMapping: byIdLoader((ids) => as([], (tx, who) => findMappingsByIds(tx, who, ids))),
    /** Facility ids each platform is available at (platforms the row rule already let through). */
    availabilityOfPlatform: groupLoader(
      (ids) => as([], (tx) => availabilityOfPlatforms(tx, ids)),
      (row) => row.providerPlatformId,
    ),
    /** A platform's change log, newest first (its field's rule requires `learning.provider.manage`). */
    changesOfPlatform: pagedGroupLoader<ProviderPlatformChange, null>({
      sortField: 'createdAt',
      direction: 'desc',
      fetch: (keys, _filter, page) => as([], (tx) => changesOfPlatforms(tx, keys, page)),
      keyOf: (row) => row.providerPlatformId,
    }),
    /** The loader for one page shape, and the page query it fetches with (rows come back uncut: take `query.take`). */
    courseEnrollmentsOfUser(page: PageArgs): { loader: DataLoader<string, CourseEnrollment[]>; query: PageQuery } {
      const query = enrollmentPage(page);
      const key = JSON.stringify([query.take, page.after ?? null]);
      let loader = pages.get(key);
      if (!loader) {
        loader = groupLoader(
          async (userIds) => primeVisible(courseEnrollmentVisible, await as([], (tx, who) => enrollmentsOfUsers(tx, who, userIds, query))),
          (row) => row.userId,
        );
        pages.set(key, loader);
      }
      return { loader, query };
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
