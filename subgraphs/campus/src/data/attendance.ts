import { type Identity, type PageQuery, reachFilter, uuidsOnly } from '@pathway/kit';

import type { Attendance, AttendanceStatus, Prisma } from '../generated/prisma/client.ts';
import * as access from '../access.ts';

type Tx = Prisma.TransactionClient;
type Page = Pick<PageQuery, 'where' | 'orderBy'>;

/** A calendar date (YYYY-MM-DD) as the date column holds it. */
export const dayOf = (date: string) => new Date(`${date}T00:00:00Z`);

export function findAttendanceByIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.attendance.findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, access.attendance.where(identity)] } });
}

/** Attendance rows of occurrences (keys `eventId|date`) the identity may see. */
export async function attendanceOfOccurrences(tx: Tx, identity: Identity, keys: readonly string[]): Promise<Attendance[]> {
  const pairs = keys
    .map((k) => k.split('|'))
    .filter(([eventId, date]) => uuidsOnly([eventId!]).length === 1 && /^\d{4}-\d{2}-\d{2}$/.test(date!));
  if (pairs.length === 0) return [];
  return tx.attendance.findMany({
    where: { AND: [{ OR: pairs.map(([eventId, date]) => ({ eventId, date: dayOf(date!) })) }, access.attendance.where(identity)] },
    orderBy: [{ userId: 'asc' }],
  });
}

/** People's attendance the identity may see, newest first (the page's cursor applied). */
export function attendanceOfUsers(tx: Tx, identity: Identity, userIds: readonly string[], page: Page) {
  return tx.attendance.findMany({
    where: { AND: [{ userId: { in: uuidsOnly(userIds) } }, access.attendance.where(identity), page.where] },
    orderBy: page.orderBy,
  });
}

/** Of `classIds`, which occurrences (`eventId|date`) have at least one attendance row. */
export async function recordedOccurrences(tx: Tx, classIds: readonly string[]): Promise<Set<string>> {
  const rows = await tx.attendance.groupBy({ by: ['eventId', 'date'], where: { classId: { in: uuidsOnly(classIds) } } });
  return new Set(rows.map((r) => `${r.eventId}|${r.date.toISOString().slice(0, 10)}`));
}

export interface AttendanceSummary {
  present: number;
  absentExcused: number;
  absentUnexcused: number;
}
export type RateGroup = 'userId' | 'classId' | 'facilityId';

/**
 * Attendance counts per user, class or facility over [from, to) (by occurrence date), in one
 * query for all keys. `visible` cuts the rows to what the caller may count.
 */
export async function attendanceCounts(
  tx: Tx,
  field: RateGroup,
  keys: readonly string[],
  from: Date,
  to: Date,
  visible: Prisma.AttendanceWhereInput,
) {
  const rows = await tx.attendance.groupBy({
    by: [field, 'status'],
    where: { AND: [{ [field]: { in: uuidsOnly(keys) } }, { date: { gte: from, lt: to } }, visible] },
    _count: { _all: true },
  });
  const sums = new Map<string, AttendanceSummary>();
  const slot: Record<AttendanceStatus, keyof AttendanceSummary> = {
    present: 'present',
    absent_excused: 'absentExcused',
    absent_unexcused: 'absentUnexcused',
  };
  for (const row of rows) {
    const key = (row as Record<RateGroup, string>)[field];
    const sum = sums.get(key) ?? { present: 0, absentExcused: 0, absentUnexcused: 0 };
    sum[slot[row.status]] += row._count._all;
    sums.set(key, sum);
  }
  return sums;
}

/** Program → its classes in reach (to sum a program's attendance over its classes). */
export async function classesOfPrograms(tx: Tx, identity: Identity, programIds: readonly string[]) {
  return tx.programClass.findMany({
    where: { AND: [{ programId: { in: uuidsOnly(programIds) } }, reachFilter(identity)] },
    select: { id: true, programId: true },
  });
}
