import DataLoader from 'dataloader';
import {
  byIdLoader,
  callerReads,
  groupLoader,
  hasPermission,
  pagedGroupLoader,
  primeVisible,
  reachFilter,
  rowVisible,
  type Identity,
  type ScopedDb,
} from '@pathway/kit';
import * as access from './access.ts';
import type { Attendance, ClassChange, ClassEnrollment, Prisma } from './generated/prisma/client.ts';
import {
  attendanceCounts,
  attendanceOfOccurrences,
  attendanceOfUsers,
  findAttendanceByIds,
  classesOfPrograms,
  recordedOccurrences,
  type AttendanceSummary,
  type RateGroup,
} from './data/attendance.ts';
import { instructorsOfClasses } from './data/instructors.ts';
import { eventsOfClasses, findEventsByIds, overridesOfEvents, timezonesOf } from './data/schedules.ts';
import { changesOfClasses, changesOfEnrollments } from './data/changes.ts';
import { findClassesByIds, findRosterClassesByIds } from './data/classes.ts';
import { rosterClassesByIds } from './data/reports.ts';
import {
  activeCountsOfClasses,
  enrollmentsOfClasses,
  enrollmentsOfUsers,
  findEnrollmentsByIds,
  type EnrollmentFilter,
} from './data/enrollments.ts';
import { findFacilitiesByIds } from './data/facilities.ts';
import { findProgramsByIds } from './data/programs.ts';
import { createManagementLoaders } from './management-loaders.ts';

type Tx = Prisma.TransactionClient;

/**
 * Per-request batching: every lookup by id, and every per-user or per-class list, in one GraphQL
 * request becomes one query per kind. Every loader reads only what the caller may see (access.ts);
 * an anonymous caller (federation entry points are open) gets nothing.
 */
export function createLoaders(db: ScopedDb<Tx>, identity: Identity | null) {
  const { as, confirm } = callerReads(db, identity);
  // "Which of these ids may the caller see", for each entity's row rule (`ctx.loaders.visible`).
  const visible = {
    facility: confirm(findFacilitiesByIds),
    program: confirm(findProgramsByIds),
    programClass: confirm(findClassesByIds),
    classRoster: confirm(findRosterClassesByIds),
    classEvent: confirm(findEventsByIds),
    classEnrollment: confirm(findEnrollmentsByIds),
    attendance: confirm(findAttendanceByIds),
  };
  /** Rows read through an entity's access filter are visible: their row rules need not ask again. */
  const seen =
    (confirmLoader: DataLoader<string, boolean>) =>
    <R extends { id: string }>(rows: R[]): R[] =>
      primeVisible(confirmLoader, rows);

  const enrollmentPages = (fetch: typeof enrollmentsOfUsers, keyOf: (row: ClassEnrollment) => string, direction: 'asc' | 'desc') =>
    pagedGroupLoader<ClassEnrollment, EnrollmentFilter>({
      sortField: 'createdAt',
      direction,
      fetch: (keys, filter, page) => as([], (tx, who) => fetch(tx, who, keys, filter, page)).then(seen(visible.classEnrollment)),
      keyOf,
    });
  /** Change log lines are visible with their class's roster (access.ts), decided per line after reading. */
  const changePages = (fetch: typeof changesOfClasses, keyOf: (row: ClassChange) => string) =>
    pagedGroupLoader<ClassChange, null>({
      sortField: 'createdAt',
      direction: 'desc',
      fetch: async (keys, _filter, page) => {
        const lines = await as([], (tx) => fetch(tx, keys, page));
        if (!identity) return [];
        const shown = await Promise.all(
          lines.map((line) => rowVisible(access.classRoster, identity, access.classOfChange(line), visible.classRoster)),
        );
        return lines.filter((_, i) => shown[i]);
      },
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
          const counted = hasPermission(who, 'campus.attendance.aggregate.read') ? reachFilter(who) : access.attendance.where(who);
          if (field !== 'programId') return attendanceCounts(tx, field, keys, from, to, counted);
          const classes = await classesOfPrograms(tx, who, keys);
          const perClass = await attendanceCounts(
            tx,
            'classId',
            classes.map((c) => c.id),
            from,
            to,
            counted,
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
    visible,
    rates,
    /** Rooms, waitlists, closures, catalog history, program stats and dashboards (issue 14). */
    management: createManagementLoaders(db, identity),
    facility: byIdLoader((ids) => as([], (tx, who) => findFacilitiesByIds(tx, who, ids)).then(seen(visible.facility))),
    program: byIdLoader((ids) => as([], (tx, who) => findProgramsByIds(tx, who, ids)).then(seen(visible.program))),
    programClass: byIdLoader((ids) => as([], (tx, who) => findClassesByIds(tx, who, ids)).then(seen(visible.programClass))),
    /** Classes whose roster the caller may read, whole rows (the personal reports); they are visible rosters too. */
    rosterClass: byIdLoader((ids) => as([], (tx, who) => rosterClassesByIds(tx, who, ids)).then(seen(visible.classRoster))),
    enrollment: byIdLoader((ids) => as([], (tx, who) => findEnrollmentsByIds(tx, who, ids)).then(seen(visible.classEnrollment))),
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
    classEvent: byIdLoader((ids) => as([], (tx, who) => findEventsByIds(tx, who, ids)).then(seen(visible.classEvent))),
    eventsOfClass: groupLoader(
      (ids) => as([], (tx, who) => eventsOfClasses(tx, who, ids)).then(seen(visible.classEvent)),
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
      (keys) => as([], (tx, who) => attendanceOfOccurrences(tx, who, keys)).then(seen(visible.attendance)),
      (a) => `${a.eventId}|${a.date.toISOString().slice(0, 10)}`,
    ),
    /** A person's attendance, newest first. */
    attendanceOfUser: pagedGroupLoader<Attendance, null>({
      sortField: 'createdAt',
      direction: 'desc',
      fetch: (keys, _filter, page) => as([], (tx, who) => attendanceOfUsers(tx, who, keys, page)).then(seen(visible.attendance)),
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
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
