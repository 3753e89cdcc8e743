import { uuidsOnly, type Identity } from '@pathway/kit';
import * as access from '../access.ts';
import type { AttendanceStatus, EnrollmentStatus, Prisma } from '../generated/prisma/client.ts';
import { OPEN_CLASS } from '../writes/facilities.ts';

type Tx = Prisma.TransactionClient;

/**
 * The dashboards' reads. Each takes every facility of a request at once (the loaders batch them),
 * so a dashboard costs one statement per kind whatever the number of facilities, classes or people.
 */

/** Events of classes not yet ended at the facilities, that the caller may see. */
export const eventsOfFacilities = (tx: Tx, identity: Identity, facilityIds: readonly string[]) =>
  tx.classEvent.findMany({
    where: {
      AND: [
        { facilityId: { in: uuidsOnly(facilityIds) }, programClass: { status: { in: [...OPEN_CLASS] } } },
        access.classEvent.where(identity),
      ],
    },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
  });

/** `eventId|date` of every occurrence with attendance recorded, at the facilities between two dates. */
export async function recordedAt(tx: Tx, facilityIds: readonly string[], from: string, to: string): Promise<Set<string>> {
  const rows = await tx.attendance.findMany({
    where: { facilityId: { in: uuidsOnly(facilityIds) }, date: { gte: new Date(`${from}T00:00:00Z`), lte: new Date(`${to}T00:00:00Z`) } },
    select: { eventId: true, date: true },
    distinct: ['eventId', 'date'],
  });
  return new Set(rows.map((r) => `${r.eventId}|${r.date.toISOString().slice(0, 10)}`));
}

export interface TrendRow {
  facilityId: string;
  month: string;
  kind: 'enrolled' | 'completed' | 'incomplete';
  count: number;
}

/** Enrollments started, completed and ended incomplete per facility and month (facility time) since `since`. */
export async function trendsOf(tx: Tx, facilityIds: readonly string[], since: Date): Promise<TrendRow[]> {
  // Counts only; the facility ids came through the facility loader (in reach), and RLS holds the tenant.
  const ids = uuidsOnly(facilityIds);
  const rows = await tx.$queryRaw<{ facility_id: string; month: string; kind: TrendRow['kind']; n: bigint }[]>`
    SELECT e.facility_id, to_char(e.enrolled_at AT TIME ZONE f.timezone, 'YYYY-MM') AS month, 'enrolled' AS kind, count(*) AS n
      FROM program_class_enrollments e JOIN facilities f ON f.id = e.facility_id
     WHERE e.facility_id = ANY(${ids}::uuid[]) AND e.enrolled_at >= ${since}
     GROUP BY 1, 2
    UNION ALL
    SELECT e.facility_id, to_char(e.enrollment_ended_at AT TIME ZONE f.timezone, 'YYYY-MM'),
           CASE WHEN e.enrollment_status = 'Completed' THEN 'completed' ELSE 'incomplete' END, count(*)
      FROM program_class_enrollments e JOIN facilities f ON f.id = e.facility_id
     WHERE e.facility_id = ANY(${ids}::uuid[]) AND e.enrollment_ended_at >= ${since}
       AND (e.enrollment_status = 'Completed' OR e.enrollment_status::text LIKE 'Incomplete:%')
     GROUP BY 1, 2, 3`;
  return rows.map((r) => ({ facilityId: r.facility_id, month: r.month, kind: r.kind, count: Number(r.n) }));
}

export interface EngagementCounts {
  facilityId: string;
  userId: string;
  active: number;
  completed: number;
  incomplete: number;
  present: number;
  absentExcused: number;
  absentUnexcused: number;
}

/** Per facility and person: classes by outcome and attendance counts, of rows the caller may see (two statements). */
export async function engagementOf(tx: Tx, identity: Identity, facilityIds: readonly string[]): Promise<EngagementCounts[]> {
  const ids = uuidsOnly(facilityIds);
  const enrollments = await tx.classEnrollment.groupBy({
    by: ['facilityId', 'userId', 'status'],
    where: { AND: [{ facilityId: { in: ids } }, access.classEnrollment.where(identity)] },
    _count: { _all: true },
  });
  const attendance = await tx.attendance.groupBy({
    by: ['facilityId', 'userId', 'status'],
    where: { AND: [{ facilityId: { in: ids } }, access.attendance.where(identity)] },
    _count: { _all: true },
  });
  const byPerson = new Map<string, EngagementCounts>();
  const entry = (facilityId: string, userId: string) => {
    const key = `${facilityId}|${userId}`;
    let row = byPerson.get(key);
    if (!row)
      byPerson.set(
        key,
        (row = { facilityId, userId, active: 0, completed: 0, incomplete: 0, present: 0, absentExcused: 0, absentUnexcused: 0 }),
      );
    return row;
  };
  const outcome = (s: EnrollmentStatus): 'active' | 'completed' | 'incomplete' | null =>
    s === 'Enrolled' ? 'active' : s === 'Completed' ? 'completed' : s === 'Cancelled' ? null : 'incomplete';
  for (const e of enrollments) {
    const slot = outcome(e.status);
    if (slot) entry(e.facilityId, e.userId)[slot] += e._count._all;
  }
  const slot: Record<AttendanceStatus, 'present' | 'absentExcused' | 'absentUnexcused'> = {
    present: 'present',
    absent_excused: 'absentExcused',
    absent_unexcused: 'absentUnexcused',
  };
  for (const a of attendance) entry(a.facilityId, a.userId)[slot[a.status]] += a._count._all;
  return [...byPerson.values()];
}
