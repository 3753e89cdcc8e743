import type DataLoader from 'dataloader';
import { byIdLoader, groupLoader, type Identity, type PageArgs, type PageQuery, type ScopedDb } from '@pathway/kit';
import type { CourseEnrollment, Prisma } from './generated/prisma/client.ts';
import { findCoursesByIds } from './data/courses.ts';
import { enrollmentPage, enrollmentsOfUsers } from './data/enrollments.ts';
import { findPlatformsByIds } from './data/providers.ts';

type Tx = Prisma.TransactionClient;

/**
 * Per-request batching: every lookup by id in one GraphQL request becomes one query per kind, and
 * `User.courseEnrollments` over a list of people is one query per distinct page (first/after).
 * Without an identity nothing is loaded (the shield refuses such requests before they get here).
 */
export function createLoaders(db: ScopedDb<Tx>, identity: Identity | null) {
  const pages = new Map<string, DataLoader<string, CourseEnrollment[]>>();
  return {
    course: byIdLoader((ids) => (identity ? db.run((tx) => findCoursesByIds(tx, identity, ids)) : Promise.resolve([]))),
    providerPlatform: byIdLoader((ids) => (identity ? db.run((tx) => findPlatformsByIds(tx, identity, ids)) : Promise.resolve([]))),
    /** The loader for one page shape, and the page query it fetches with (rows come back uncut: take `query.take`). */
    courseEnrollmentsOfUser(page: PageArgs): { loader: DataLoader<string, CourseEnrollment[]>; query: PageQuery } {
      const query = enrollmentPage(page);
      const key = JSON.stringify([query.take, page.after ?? null]);
      let loader = pages.get(key);
      if (!loader) {
        loader = groupLoader(
          (userIds) => (identity ? db.run((tx) => enrollmentsOfUsers(tx, identity, userIds, query)) : Promise.resolve([])),
          (row) => row.userId,
        );
        pages.set(key, loader);
      }
      return { loader, query };
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
