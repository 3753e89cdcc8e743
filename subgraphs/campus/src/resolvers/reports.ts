import { stringify } from 'csv-stringify/sync';
import { shownCount, shownRate, smallCountThreshold, spreadsheetSafe, uuidArg, type Identity, type PersonNames } from '@pathway/kit';
import type { ResolverContext } from '../context.ts';
import { attendanceByPerson, facilityFigures, outcomesByProgram, rosterOf, type Ended } from '../data/reports.ts';
import { checkRange } from '../data/schedules.ts';
import type { ClassAttendanceReportResolvers, ClassRosterReportResolvers, QueryResolvers } from '../generated/graphql.ts';
import type { ProgramClass } from '../generated/prisma/client.ts';
import { withRate } from './occurrences.ts';

/**
 * The four reports: rows as GraphQL data, and the same rows as CSV (`csv-stringify`, header row
 * first). Each report is built in one transaction; its `csv` is computed from the rows returned
 * (for the two personal reports only when asked for: `ClassRosterReport.csv` below).
 */
/** Every cell spreadsheet-safe (kit csv-cells.ts). */
export const csv = (header: string[], rows: unknown[][]) => stringify([header, ...rows.map((r) => r.map(spreadsheetSafe))]);
const iso = (d: Date | null) => d?.toISOString() ?? '';
const rate = (n: number | null) => (n == null ? '' : String(n));
const user = (id: string) => ({ id });
/**
 * A person's name and resident number beside their id, so the CSV reads without a lookup; identity
 * says what the caller may see of each (kit references.ts `names`): an empty cell where not.
 */
const NAME_COLUMNS = ['name', 'resident_number'];
const nameCells = (names: Map<string, PersonNames>, userId: string) => {
  const person = names.get(userId);
  return [person?.displayName ?? '', person?.residentNumber ?? ''];
};
/** Counts in the CSV as in the rows (kit small-counts.ts: the `Count` fields are suppressed by the kit itself). */
const SMALL_COUNT = smallCountThreshold();
export const completionShown = (identity: Identity, completed: number, incomplete: number) =>
  shownRate(identity, completed, completed + incomplete, SMALL_COUNT);

/** A class whose roster the caller may read (`access.classRoster`); null otherwise (outside is indistinguishable from missing). */
const rosterClass = (ctx: ResolverContext, classId: string) => ctx.loaders.rosterClass.load(uuidArg(classId, 'classId')!);

const rosterRows = (enrollments: Awaited<ReturnType<typeof rosterOf>>) =>
  enrollments.map((e) => ({
    enrollmentId: e.id,
    userId: e.userId,
    user: user(e.userId),
    status: e.status,
    enrolledAt: e.enrolledAt,
    endedAt: e.endedAt,
    changeReason: e.changeReason,
  }));

/** A class's roster as `classRosterReport` answers it; its CSV is written only when asked for (below). */
export interface RosterReport {
  class: ProgramClass;
  rows: ReturnType<typeof rosterRows>;
}
/** A class's attendance per person as `classAttendanceReport` answers it. */
export interface AttendanceReport {
  class: ProgramClass;
  from: Date;
  to: Date;
  rows: { userId: string; user: { id: string }; attendance: ReturnType<typeof withRate> }[];
  total: ReturnType<typeof withRate>;
}

/**
 * The CSV of the two personal reports, written only when the client asks for `csv`: its name
 * columns need a lookup at identity (one more request there) that the rows alone do not.
 */
export const ClassRosterReport: ClassRosterReportResolvers = {
  async csv(report, _, ctx) {
    const names = await ctx.references.names(report.rows.map((r) => r.userId));
    return csv(
      ['enrollment_id', 'user_id', ...NAME_COLUMNS, 'status', 'enrolled_at', 'ended_at', 'change_reason'],
      report.rows.map((r) => [
        r.enrollmentId,
        r.userId,
        ...nameCells(names, r.userId),
        r.status,
        iso(r.enrolledAt),
        iso(r.endedAt),
        r.changeReason ?? '',
      ]),
    );
  },
};

export const ClassAttendanceReport: ClassAttendanceReportResolvers = {
  async csv(report, _, ctx) {
    const names = await ctx.references.names(report.rows.map((r) => r.userId));
    return csv(
      ['user_id', ...NAME_COLUMNS, 'present', 'absent_excused', 'absent_unexcused', 'recorded', 'rate'],
      report.rows.map((r) => [
        r.userId,
        ...nameCells(names, r.userId),
        r.attendance.present,
        r.attendance.absentExcused,
        r.attendance.absentUnexcused,
        r.attendance.recorded,
        rate(r.attendance.rate),
      ]),
    );
  },
};

export const reportQueries: QueryResolvers = {
  async classRosterReport(_, args, ctx) {
    const programClass = await rosterClass(ctx, args.classId);
    if (!programClass) return null;
    const enrollments = await ctx.db.read((tx) => rosterOf(tx, programClass, args.status));
    return { class: programClass, rows: rosterRows(enrollments) };
  },

  async classAttendanceReport(_, args, ctx) {
    checkRange(args.from, args.to);
    const programClass = await rosterClass(ctx, args.classId);
    if (!programClass) return null;
    const counts = await ctx.db.read((tx) => attendanceByPerson(tx, programClass, args.from, args.to));
    const perUser = new Map<string, { present: number; absentExcused: number; absentUnexcused: number }>();
    const slot = { present: 'present', absent_excused: 'absentExcused', absent_unexcused: 'absentUnexcused' } as const;
    for (const c of counts) {
      const sum = perUser.get(c.userId) ?? { present: 0, absentExcused: 0, absentUnexcused: 0 };
      sum[slot[c.status]] += c._count._all;
      perUser.set(c.userId, sum);
    }
    const rows = [...perUser].map(([userId, s]) => ({ userId, user: user(userId), attendance: withRate(s) }));
    const total = withRate(
      rows.reduce(
        (t, r) => ({
          present: t.present + r.attendance.present,
          absentExcused: t.absentExcused + r.attendance.absentExcused,
          absentUnexcused: t.absentUnexcused + r.attendance.absentUnexcused,
        }),
        { present: 0, absentExcused: 0, absentUnexcused: 0 },
      ),
    );
    return { class: programClass, from: args.from, to: args.to, rows, total };
  },

  async programOutcomesReport(_, __, ctx) {
    const programs = await ctx.db.read((tx) => outcomesByProgram(tx, ctx.identity));
    const rows = programs.map(({ programId, programName, counts }) => {
      const n = (s: Ended) => counts.get(s) ?? 0;
      const row = {
        programId,
        programName,
        completed: n('Completed'),
        withdrawn: n('Incomplete_Withdrawn'),
        dropped: n('Incomplete_Dropped'),
        failedToComplete: n('Incomplete_Failed_to_Complete'),
        transferred: n('Incomplete_Transfered'),
        segregated: n('Incomplete_Segregated'),
      };
      const incomplete = row.withdrawn + row.dropped + row.failedToComplete + row.transferred + row.segregated;
      return { ...row, incomplete, completionRate: completionShown(ctx.identity, row.completed, incomplete) };
    });
    const c = (count: number) => shownCount(ctx.identity, count, SMALL_COUNT);
    return {
      rows,
      csv: csv(
        [
          'program_id',
          'program',
          'completed',
          'withdrawn',
          'dropped',
          'failed_to_complete',
          'transferred',
          'segregated',
          'incomplete',
          'completion_rate',
        ],
        rows.map((r) => [
          r.programId,
          r.programName,
          c(r.completed),
          c(r.withdrawn),
          c(r.dropped),
          c(r.failedToComplete),
          c(r.transferred),
          c(r.segregated),
          c(r.incomplete),
          rate(r.completionRate),
        ]),
      ),
    };
  },

  async facilityComparisonReport(_, args, ctx) {
    checkRange(args.from, args.to);
    const figures = await ctx.db.read((tx) => facilityFigures(tx, ctx.identity, args.from, args.to));
    const rows = figures.map((f) => ({
      ...f,
      completionRate: completionShown(ctx.identity, f.completed, f.incomplete),
      attendance: withRate(f.attendance),
    }));
    const c = (count: number) => shownCount(ctx.identity, count, SMALL_COUNT);
    return {
      from: args.from,
      to: args.to,
      rows,
      csv: csv(
        [
          'facility_id',
          'facility',
          'classes',
          'active_enrollments',
          'completed',
          'incomplete',
          'completion_rate',
          'present',
          'recorded',
          'attendance_rate',
        ],
        rows.map((r) => [
          r.facilityId,
          r.facilityName,
          r.classes,
          c(r.activeEnrollments),
          c(r.completed),
          c(r.incomplete),
          rate(r.completionRate),
          r.attendance.present,
          r.attendance.recorded,
          rate(r.attendance.rate),
        ]),
      ),
    };
  },
};
