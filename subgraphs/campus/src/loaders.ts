import { byIdLoader, membershipLoader, type Identity, type ScopedDb } from '@pathway/kit';
import type { ClassEnrollment, Prisma } from './generated/prisma/client.ts';
import { classesEnrolledIn, findClassesByIds } from './data/classes.ts';
import { enrollmentsOfClasses, enrollmentsOfUsers, findEnrollmentsByIds, type EnrollmentFilter } from './data/enrollments.ts';
import { findFacilitiesByIds } from './data/facilities.ts';
import { findProgramsByIds, programsOfferedAt } from './data/programs.ts';
import { pagedGroupLoader } from '@pathway/kit';

type Tx = Prisma.TransactionClient;

/**
 * Per-request batching: every lookup by id, and every per-user or per-class list, in one GraphQL
 * request becomes one query per kind. Every loader reads only what the caller may see; an anonymous
 * caller (federation entry points are open) gets nothing.
 */
export function createLoaders(db: ScopedDb<Tx>, identity: Identity | null) {
  const as = <R>(none: R, fn: (tx: Tx, who: Identity) => Promise<R>): Promise<R> => (identity ? db.run((tx) => fn(tx, identity)) : Promise.resolve(none));
  const enrollmentPages = (fetch: typeof enrollmentsOfUsers, keyOf: (row: ClassEnrollment) => string, direction: 'asc' | 'desc') =>
    pagedGroupLoader<ClassEnrollment, EnrollmentFilter>({
      sortField: 'createdAt',
      direction,
      fetch: (keys, filter, page) => as([], (tx, who) => fetch(tx, who, keys, filter, page)),
      keyOf,
    });
  return {
    facility: byIdLoader((ids) => as([], (tx, who) => findFacilitiesByIds(tx, who, ids))),
    program: byIdLoader((ids) => as([], (tx, who) => findProgramsByIds(tx, who, ids))),
    programClass: byIdLoader((ids) => as([], (tx, who) => findClassesByIds(tx, who, ids))),
    enrollment: byIdLoader((ids) => as([], (tx, who) => findEnrollmentsByIds(tx, who, ids))),
    /** A person's enrollments, newest first. */
    enrollmentsOfUser: enrollmentPages(enrollmentsOfUsers, (row) => row.userId, 'desc'),
    /** A class's roster, oldest first. */
    enrollmentsOfClass: enrollmentPages(enrollmentsOfClasses, (row) => row.classId, 'asc'),
    /** Whether the caller's own facility offers a program. */
    offeredAtMyFacility: membershipLoader((ids) =>
      as(new Set<string>(), (tx, who) => (who.facilityId ? programsOfferedAt(tx, who.facilityId, ids) : Promise.resolve(new Set<string>()))),
    ),
    /** Whether the caller is enrolled in a class. */
    enrolledByMe: membershipLoader((ids) => as(new Set<string>(), (tx, who) => classesEnrolledIn(tx, who.userId, ids))),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
