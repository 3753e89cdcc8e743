import { badInput, forbidden, hasPermission, type Identity, parseInput } from '@pathway/kit';
import { z } from 'zod';
import type { Attendance, Prisma } from '../generated/prisma/client.ts';
import { logChanges } from '../data/changes.ts';
import { dayOf } from '../data/attendance.ts';
import { teaches } from '../data/instructors.ts';
import { eventInReach, requireOccurrence } from '../data/schedules.ts';

type Tx = Prisma.TransactionClient;

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

const snapshot = (a: Attendance) => ({ userId: a.userId, date: a.date.toISOString().slice(0, 10), status: a.status, note: a.note });

/**
 * Attendance for one occurrence, for as much of the roster as given, all or nothing. Someone
 * already recorded is corrected: the row is overwritten and the change log keeps the earlier value.
 */
export async function takeAttendance(tx: Tx, identity: Identity, eventId: string, date: string, input: AttendanceRecordInput[]) {
  const given = parseInput(z.object({ records }), { records: input }, 'The attendance').records;
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
  // One taker of an occurrence at a time: two first takes at once would both find nobody recorded and insert twice.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`attendance:${event.id}:${date}`}, 0))`;
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
