import DataLoader from 'dataloader';
import {
  byIdLoader,
  groupLoader,
  hasPermission,
  membershipLoader,
  reachFilter,
  uuidsOnly,
  type Identity,
  type ScopedDb,
} from '@pathway/kit';
import type { Attendance, ClassChange, ClassEnrollment, Prisma } from './generated/prisma/client.ts';
import {
  attendanceCounts,
  attendanceOfOccurrences,
  attendanceOfUsers,
  classesOfPrograms,
  recordedOccurrences,
  type AttendanceSummary,
  type RateGroup,
} from './data/attendance.ts';
import { instructorsOfClasses, teaches } from './data/instructors.ts';
import { eventsOfClasses, overridesOfEvents, timezonesOf } from './data/schedules.ts';
import { attendanceVisibility, classVisibility } from './reach.ts';
import { changesOfClasses, changesOfEnrollments } from './data/changes.ts';
import { classesEnrolledIn, findClassesByIds } from './data/classes.ts';
import {
  activeCountsOfClasses,
  enrollmentsOfClasses,
  enrollmentsOfUsers,
  findEnrollmentsByIds,
  type EnrollmentFilter,
} from './data/enrollments.ts';
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
  const as = <R>(none: R, fn: (tx: Tx, who: Identity) => Promise<R>): Promise<R> =>
    identity ? db.run((tx) => fn(tx, identity)) : Promise.resolve(none);
  const enrollmentPages = (fetch: typeof enrollmentsOfUsers, keyOf: (row: ClassEnrollment) => string, direction: 'asc' | 'desc') =>
    pagedGroupLoader<ClassEnrollment, EnrollmentFilter>({
      sortField: 'createdAt',
      direction,
      fetch: (keys, filter, page) => as([], (tx, who) => fetch(tx, who, keys, filter, page)),
      keyOf,
    });
  const changePages = (fetch: typeof changesOfClasses, keyOf: (row: ClassChange) => string) =>
    pagedGroupLoader<ClassChange, null>({
      sortField: 'createdAt',
      direction: 'desc',
      fetch: (keys, _filter, page) => as([], (tx, who) => fetch(tx, who, keys, page)),
      keyOf,
    });
  /** Counts per key over one date range; one loader (one query per batch) per grouping and range. */
  const rateLoaders = new Map<string, DataLoader<string, AttendanceSummary>>();
  const rates = (field: RateGroup | 'programId', from: Date, to: Date) => {
    const id = `${field}|${from.toISOString()}|${to.toISOString()}`;
    let loader = rateLoaders.get(id);
    if (!loader) {
      loader = new DataLoader<string, AttendanceSummary>((keys) =>
        as(new Map<string, AttendanceSummary>(), async (tx, who) => {
          // Aggregate readers count everything in reach; others only rows they may see one by one.
          const visible = hasPermission(who, 'campus.attendance.aggregate.read')
            ? (reachFilter(who) as Prisma.AttendanceWhereInput)
            : attendanceVisibility(who);
          if (field !== 'programId') return attendanceCounts(tx, field, keys, from, to, visible);
          const classes = await classesOfPrograms(tx, who, keys);
          const perClass = await attendanceCounts(
            tx,
            'classId',
            classes.map((c) => c.id),
            from,
            to,
            visible,
          );
          const sums = new Map<string, AttendanceSummary>();
          for (const c of classes) {
            const add = perClass.get(c.id);
            if (!add) continue;
            const sum = sums.get(c.programId) ?? { present: 0, absentExcused: 0, absentUnexcused: 0 };
            sums.set(c.programId, {
              present: sum.present + add.present,
              absentExcused: sum.absentExcused + add.absentExcused,
              absentUnexcused: sum.absentUnexcused + add.absentUnexcused,
            });
          }
          return sums;
        }).then((sums) => keys.map((k) => sums.get(k) ?? { present: 0, absentExcused: 0, absentUnexcused: 0 })),
      );
      rateLoaders.set(id, loader);
    }
    return loader;
  };
  return {
    rates,
    facility: byIdLoader((ids) => as([], (tx, who) => findFacilitiesByIds(tx, who, ids))),
    program: byIdLoader((ids) => as([], (tx, who) => findProgramsByIds(tx, who, ids))),
    programClass: byIdLoader((ids) => as([], (tx, who) => findClassesByIds(tx, who, ids))),
    enrollment: byIdLoader((ids) => as([], (tx, who) => findEnrollmentsByIds(tx, who, ids))),
    /** A person's enrollments, newest first. */
    enrollmentsOfUser: enrollmentPages(enrollmentsOfUsers, (row) => row.userId, 'desc'),
    /** A class's roster, oldest first. */
    enrollmentsOfClass: enrollmentPages(enrollmentsOfClasses, (row) => row.classId, 'asc'),
    /** A class's change log (class and enrollment lines), newest first. */
    changesOfClass: changePages(changesOfClasses, (row) => row.classId),
    /** An enrollment's change log, newest first. */
    changesOfEnrollment: changePages(changesOfEnrollments, (row) => row.enrollmentId ?? ''),
    /** Seats taken per class (the class itself was already checked by the type's rule). */
    activeEnrollmentCount: new DataLoader<string, number>((ids) =>
      as(new Map<string, number>(), (tx) => activeCountsOfClasses(tx, ids)).then((counts) => ids.map((id) => counts.get(id) ?? 0)),
    ),
    /** A class event, if its class is visible to the caller. */
    classEvent: byIdLoader((ids) =>
      as([], (tx, who) => tx.classEvent.findMany({ where: { id: { in: uuidsOnly(ids) }, programClass: classVisibility(who) } })),
    ),
    /** A class's events (the class was already checked by the type's rule). */
    eventsOfClass: groupLoader(
      (ids) => as([], (tx) => eventsOfClasses(tx, ids)),
      (e) => e.classId,
    ),
    overridesOfEvent: groupLoader(
      (ids) => as([], (tx) => overridesOfEvents(tx, ids)),
      (o) => o.eventId,
    ),
    timezone: new DataLoader<string, string>((ids) =>
      as(new Map<string, string>(), (tx) => timezonesOf(tx, ids)).then((zones) => ids.map((id) => zones.get(id) ?? 'UTC')),
    ),
    /** Attendance of an occurrence (key `eventId|date`) that the caller may see. */
    attendanceOfOccurrence: groupLoader(
      (keys) => as([], (tx, who) => attendanceOfOccurrences(tx, who, keys)),
      (a) => `${a.eventId}|${a.date.toISOString().slice(0, 10)}`,
    ),
    /** A person's attendance, newest first. */
    attendanceOfUser: pagedGroupLoader<Attendance, null>({
      sortField: 'createdAt',
      direction: 'desc',
      fetch: (keys, _filter, page) => as([], (tx, who) => attendanceOfUsers(tx, who, keys, page)),
      keyOf: (row) => row.userId,
    }),
    /** Occurrences (`eventId|date`) of the batch's classes that have any attendance recorded. */
    recordedOccurrences: new DataLoader<string, Set<string>>((ids) =>
      as(new Set<string>(), (tx) => recordedOccurrences(tx, ids)).then((set) => ids.map(() => set)),
    ),
    instructorsOfClass: groupLoader(
      (ids) => as([], (tx) => instructorsOfClasses(tx, ids)),
      (i) => i.classId,
    ),
    /** Whether the caller teaches a class. */
    teachesClass: membershipLoader((ids) => as(new Set<string>(), (tx, who) => teaches(tx, who.userId, ids))),
    /** Whether the caller's own facility offers a program. */
    offeredAtMyFacility: membershipLoader((ids) =>
      as(new Set<string>(), (tx, who) =>
        who.facilityId ? programsOfferedAt(tx, who.facilityId, ids) : Promise.resolve(new Set<string>()),
      ),
    ),
    /** Whether the caller is enrolled in a class. */
    enrolledByMe: membershipLoader((ids) => as(new Set<string>(), (tx, who) => classesEnrolledIn(tx, who.userId, ids))),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
