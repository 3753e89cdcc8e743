import { conflict } from '@pathway/kit';
import type { ClassEvent, Prisma, ProgramClass } from '../generated/prisma/client.ts';
import { clashes, expand, type Occurrence } from '../schedule.ts';
import { timezonesOf } from '../data/schedules.ts';
import { OPEN_CLASS } from './facilities.ts';

type Tx = Prisma.TransactionClient;

/** How far ahead bookings are compared: the class's span, at most a year from the series start. */
const HORIZON_MS = 366 * 86_400_000;
const MAX_REPORTED = 5;

/** The window an event's bookings are checked over. */
export function windowOf(event: Pick<ClassEvent, 'startsAt'>, programClass: Pick<ProgramClass, 'endDt'>) {
  const from = event.startsAt;
  const cap = new Date(from.getTime() + HORIZON_MS);
  const to =
    programClass.endDt && programClass.endDt > from && programClass.endDt < cap ? new Date(programClass.endDt.getTime() + 86_400_000) : cap;
  return { from, to };
}

/** Occurrences (overrides applied) of the given events over [from, to), each in its facility's zone (`zone` for the caller's). */
async function occurrencesOf(tx: Tx, events: ClassEvent[], zone: string, from: Date, to: Date): Promise<Occurrence[]> {
  if (!events.length) return [];
  const overrides = await tx.eventOverride.findMany({ where: { eventId: { in: events.map((e) => e.id) } } });
  const zones = await timezonesOf(tx, [...new Set(events.map((e) => e.facilityId))]);
  return events.flatMap((e) =>
    expand(
      e,
      zones.get(e.facilityId) ?? zone,
      overrides.filter((o) => o.eventId === e.id),
      from,
      to,
    ),
  );
}

const describe = (pairs: [Occurrence, Occurrence][]) =>
  pairs.slice(0, MAX_REPORTED).map(([mine, theirs]) => ({
    date: mine.date,
    startsAt: mine.startsAt.toISOString(),
    otherEventId: theirs.eventId,
    otherClassId: theirs.classId,
    otherStartsAt: theirs.startsAt.toISOString(),
  }));

/**
 * CONFLICT ROOM_BOOKED when an occurrence of `mine` (already in effect inside this transaction) booked
 * into `roomId` overlaps another event's occurrence in that room. The room row is locked first, so two
 * bookings of one room are decided one after the other.
 */
export async function checkRoom(tx: Tx, roomId: string, mine: ClassEvent, programClass: ProgramClass, zone: string) {
  await tx.$queryRaw`SELECT id FROM rooms WHERE id = ${roomId}::uuid FOR UPDATE`;
  const { from, to } = windowOf(mine, programClass);
  const others = await tx.classEvent.findMany({
    where: {
      id: { not: mine.id },
      facilityId: mine.facilityId,
      programClass: { status: { in: [...OPEN_CLASS] } },
      OR: [{ roomId }, { overrides: { some: { roomId } } }],
    },
  });
  const inRoom = (o: Occurrence) => o.roomId === roomId;
  const ours = (await occurrencesOf(tx, [mine], zone, from, to)).filter(inRoom);
  const theirs = (await occurrencesOf(tx, others, zone, from, to)).filter(inRoom);
  const pairs = clashes(ours, theirs);
  if (pairs.length)
    throw conflict(`The room is booked at that time (${pairs.length} overlapping occurrence(s), first on ${pairs[0]![0].date}).`, {
      reason: 'ROOM_BOOKED',
      roomId,
      clashes: describe(pairs),
    });
}

/**
 * CONFLICT INSTRUCTOR_BUSY when an instructor of the class teaches another class not yet ended at an
 * overlapping time. Each instructor's schedule is locked (an advisory lock per person) for the check.
 */
export async function checkInstructors(tx: Tx, programClass: ProgramClass, zone: string, instructorIds?: string[]) {
  const ids =
    instructorIds ??
    (await tx.classInstructor.findMany({ where: { classId: programClass.id }, select: { userId: true } })).map((i) => i.userId);
  for (const userId of ids) {
    // $executeRaw: the lock function returns void, which a query result cannot carry.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`instructor:${userId}`}, 0))`;
    const theirClasses = await tx.classInstructor.findMany({
      where: { userId, classId: { not: programClass.id }, programClass: { status: { in: [...OPEN_CLASS] } } },
      select: { classId: true },
    });
    if (!theirClasses.length) continue;
    const mineEvents = await tx.classEvent.findMany({ where: { classId: programClass.id } });
    const otherEvents = await tx.classEvent.findMany({ where: { classId: { in: theirClasses.map((c) => c.classId) } } });
    for (const event of mineEvents) {
      const { from, to } = windowOf(event, programClass);
      const pairs = clashes(await occurrencesOf(tx, [event], zone, from, to), await occurrencesOf(tx, otherEvents, zone, from, to));
      if (pairs.length)
        throw conflict(`An instructor of the class teaches another class at that time (first on ${pairs[0]![0].date}).`, {
          reason: 'INSTRUCTOR_BUSY',
          userId,
          clashes: describe(pairs),
        });
    }
  }
}
