import { badInput, forbidden, hasPermission, reachFilter, uuidsOnly, type Identity, type PageQuery } from '@pathway/kit';
import { z } from 'zod';
import type { Attendance, AttendanceStatus, Prisma } from '../generated/prisma/client.ts';
import * as access from '../access.ts';
import { logChanges } from './changes.ts';
import { teaches } from './instructors.ts';
import { eventInReach, requireOccurrence } from './schedules.ts';
import { parseOrThrow } from './validate.ts';

type Tx = Prisma.TransactionClient;
type Page = Pick<PageQuery, 'where' | 'orderBy'>;

const records = z
  .array(
    z.object({
      userId: z.uuid('not a valid id'),
      status: z.enum(['present', 'absent_excused', 'absent_unexcused']),
      note: z.string().trim().max(2000).nullish(),
    }),
  )
  .min(1, 'name at least one person')
  .max(500, 'at most 500 people per call')
  .refine((rs) => new Set(rs.map((r) => r.userId)).size === rs.length, 'names a person twice');
export type AttendanceRecordInput = z.infer<typeof records>[number];

const dayOf = (date: string) => new Date(`${date}T00:00:00Z`);
const snapshot = (a: Attendance) => ({ userId: a.userId, date: a.date.toISOString().slice(0, 10), status: a.status, note: a.note });

/**
 * Attendance for one occurrence, for as much of the roster as given, all or nothing. Someone
 * already recorded is corrected: the row is overwritten and the change log keeps the earlier value.
 */
export async function takeAttendance(tx: Tx, identity: Identity, eventId: string, date: string, input: AttendanceRecordInput[]) {
  const given = parseOrThrow(z.object({ records }), { records: input }, 'The attendance').records;
  const { event, zone, overrides } = await eventInReach(tx, identity, eventId);
  if (!hasPermission(identity, 'campus.roster.read_all') && !(await teaches(tx, identity.userId, [event.classId])).has(event.classId)) {
    throw forbidden('Only the class’s instructors and administrators take its attendance.');
  }
  const occurrence = requireOccurrence(event, zone, overrides, date);
  if (occurrence.cancelled) throw badInput(`The occurrence on ${date} was cancelled.`, { date: 'is a cancelled occurrence' });
  if (occurrence.startsAt > new Date()) throw badInput(`The occurrence on ${date} has not started yet.`, { date: 'is in the future' });

  // Enrolled then: still Enrolled, or ended after the occurrence began.
  const enrollments = await tx.classEnrollment.findMany({
    where: {
      classId: event.classId,
      userId: { in: given.map((r) => r.userId) },
      OR: [{ status: 'Enrolled' }, { endedAt: { gte: occurrence.startsAt } }],
    },
  });
  const enrollmentOf = new Map(enrollments.map((e) => [e.userId, e]));
  const notEnrolled = Object.fromEntries(
    given.flatMap((r, i) => (enrollmentOf.has(r.userId) ? [] : [[`records.${i}.userId`, 'is not enrolled in this class']])),
  );
  if (Object.keys(notEnrolled).length > 0) throw badInput('Some of these people are not enrolled in this class.', notEnrolled);

  const day = dayOf(date);
  const existing = new Map(
    (await tx.attendance.findMany({ where: { eventId: event.id, date: day, userId: { in: given.map((r) => r.userId) } } })).map((a) => [
      a.userId,
      a,
    ]),
  );
  const fresh = given.filter((r) => !existing.has(r.userId));
  await tx.attendance.createMany({
    data: fresh.map((r) => ({
      tenantId: event.tenantId,
      facilityId: event.facilityId,
      classId: event.classId,
      eventId: event.id,
      enrollmentId: enrollmentOf.get(r.userId)!.id,
      userId: r.userId,
      date: day,
      status: r.status,
      note: r.note ?? null,
      recordedBy: identity.userId,
    })),
  });
  const corrections: Prisma.InputJsonValue[][] = [];
  for (const r of given) {
    const before = existing.get(r.userId);
    if (!before || (before.status === r.status && before.note === (r.note ?? null))) continue;
    const after = await tx.attendance.update({
      where: { id: before.id },
      data: { status: r.status, note: r.note ?? null, recordedBy: identity.userId },
    });
    corrections.push([snapshot(before), snapshot(after), before.enrollmentId]);
  }
  await logChanges(
    tx,
    corrections.map(([before, after, enrollmentId]) => ({
      actor: identity,
      programClass: { id: event.classId, tenantId: event.tenantId, facilityId: event.facilityId },
      enrollmentId: enrollmentId as string,
      action: 'attendance.corrected' as const,
      before,
      after,
    })),
  );
  const saved = await tx.attendance.findMany({
    where: { eventId: event.id, date: day, userId: { in: given.map((r) => r.userId) } },
    orderBy: { userId: 'asc' },
  });
  return { event, occurrence, saved, recorded: fresh.length, corrected: corrections.length };
}

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
