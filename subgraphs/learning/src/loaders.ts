import type DataLoader from 'dataloader';
import {
  byIdLoader,
  groupLoader,
  membershipLoader,
  primeVisible,
  type Identity,
  type PageArgs,
  type PageQuery,
  type ScopedDb,
} from '@pathway/kit';
import type { CourseEnrollment, Prisma } from './generated/prisma/client.ts';
import { findCoursesByIds, visibleCourseIds } from './data/courses.ts';
import { enrollmentPage, enrollmentsOfUsers, visibleEnrollmentIds } from './data/enrollments.ts';
import { findPlatformsByIds, visiblePlatformIds } from './data/providers.ts';

type Tx = Prisma.TransactionClient;

/**
 * Per-request batching: every lookup by id in one GraphQL request becomes one query per kind, and
 * `User.courseEnrollments` over a list of people is one query per distinct page (first/after).
 * Every loader reads through the entity's access filter (access.ts) and primes the entity's
 * `…Visible` loader (the row rule's database fallback) with what it read.
 * Without an identity nothing is loaded (the shield refuses such requests before they get here).
 */
export function createLoaders(db: ScopedDb<Tx>, identity: Identity | null) {
  /** Rows read through an access filter, recorded as visible to the entity's row rule. */
  const seen = <T extends { id: string }>(confirm: DataLoader<string, boolean>, rows: T[]) => (primeVisible(confirm, rows), rows);
  const visible = (fetch: (tx: Tx, who: Identity, ids: readonly string[]) => Promise<{ id: string }[]>) =>
    membershipLoader(async (ids) => new Set(identity ? (await db.run((tx) => fetch(tx, identity, ids))).map((row) => row.id) : []));

  const courseVisible = visible(visibleCourseIds);
  const providerPlatformVisible = visible(visiblePlatformIds);
  const courseEnrollmentVisible = visible(visibleEnrollmentIds);
  const pages = new Map<string, DataLoader<string, CourseEnrollment[]>>();
  return {
    courseVisible,
    providerPlatformVisible,
    courseEnrollmentVisible,
    course: byIdLoader(async (ids) => (identity ? seen(courseVisible, await db.run((tx) => findCoursesByIds(tx, identity, ids))) : [])),
    providerPlatform: byIdLoader(async (ids) =>
      identity ? seen(providerPlatformVisible, await db.run((tx) => findPlatformsByIds(tx, identity, ids))) : [],
    ),
    /** The loader for one page shape, and the page query it fetches with (rows come back uncut: take `query.take`). */
    courseEnrollmentsOfUser(page: PageArgs): { loader: DataLoader<string, CourseEnrollment[]>; query: PageQuery } {
      const query = enrollmentPage(page);
      const key = JSON.stringify([query.take, page.after ?? null]);
      let loader = pages.get(key);
      if (!loader) {
        loader = groupLoader(
          async (userIds) =>
            identity ? seen(courseEnrollmentVisible, await db.run((tx) => enrollmentsOfUsers(tx, identity, userIds, query))) : [],
          (row) => row.userId,
        );
        pages.set(key, loader);
      }
      return { loader, query };
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
