import { badInput, type Identity, notFound, parseInput, reachFilter, uuidArg } from '@pathway/kit';
import { z } from 'zod';
import type { ClassEvent, Prisma } from '../generated/prisma/client.ts';
import { MAX_SHIFT_DAYS, occurrenceOn, validateRule, type Occurrence } from '../schedule.ts';
import { logChanges } from '../data/changes.ts';
import { eventInReach, requireOccurrence } from '../data/schedules.ts';
import { checkRoom } from './bookings.ts';
import { checkBookings, usableRoom } from './rooms.ts';

type Tx = Prisma.TransactionClient;

const eventInput = z.object({
  startsAt: z.date(),
  durationMinutes: z.number().int().min(1, 'must be at least 1 minute').max(1440, 'must be at most 24 hours'),
  room: z.string().trim().max(100).nullish(),
  recurrenceRule: z.string().nullish(),
  roomId: z.string().uuid().nullish(),
});
export type EventInput = z.infer<typeof eventInput>;

export async function createEvent(tx: Tx, identity: Identity, classId: string, input: EventInput): Promise<ClassEvent> {
  const fields = parseInput(eventInput, input, 'The event');
  const recurrenceRule = fields.recurrenceRule == null ? null : validateRule(fields.recurrenceRule);
  const id = uuidArg(classId, 'classId')!;
  const programClass = await tx.programClass.findFirst({
    where: { AND: [{ id }, reachFilter(identity)] },
  });
  if (!programClass) throw notFound('The class');
  // Checked before the write: another facility's room would break the composite foreign key.
  if (fields.roomId) await usableRoom(tx, { facilityId: programClass.facilityId, classId: id }, fields.roomId);
  const event = await tx.classEvent.create({
    data: {
      tenantId: programClass.tenantId,
      facilityId: programClass.facilityId,
      classId: id,
      startsAt: fields.startsAt,
      durationMinutes: fields.durationMinutes,
      room: fields.room ?? null,
      roomId: fields.roomId ?? null,
      recurrenceRule,
    },
  });
  // The booking is checked with the event in place: a clash throws and rolls the event back.
  await checkBookings(tx, event, event.roomId, true);
  await logChanges(tx, [
    {
      actor: identity,
      programClass,
      action: 'event.created',
      after: {
        eventId: event.id,
        startsAt: event.startsAt.toISOString(),
        durationMinutes: event.durationMinutes,
        room: event.room,
        roomId: event.roomId,
        recurrenceRule,
      },
    },
  ]);
  return event;
}

export interface OccurrenceChange {
  cancelled?: boolean;
  startsAt?: Date | null;
  durationMinutes?: number | null;
  room?: string | null;
  roomId?: string | null;
  reason?: string | null;
}

/** Cancels, moves or re-rooms one occurrence (an override row); the series stays as it is. */
export async function changeOccurrence(
  tx: Tx,
  identity: Identity,
  eventId: string,
  date: string,
  change: OccurrenceChange,
): Promise<Occurrence> {
  const { event, zone, overrides } = await eventInReach(tx, identity, eventId);
  const before = requireOccurrence(event, zone, overrides, date);
  if (
    change.durationMinutes != null &&
    (!Number.isInteger(change.durationMinutes) || change.durationMinutes < 1 || change.durationMinutes > 1440)
  ) {
    throw badInput('The duration must be 1 minute to 24 hours.', { durationMinutes: 'out of range' });
  }
  if (change.startsAt && Math.abs(change.startsAt.getTime() - before.originalStart.getTime()) > MAX_SHIFT_DAYS * 86_400_000) {
    throw badInput(`An occurrence can move at most ${MAX_SHIFT_DAYS} days.`, { startsAt: 'too far from the original' });
  }
  const room = change.room?.trim();
  if (room != null && room.length > 100) throw badInput('The room name is too long.', { room: 'too long' });
  const data = {
    cancelled: change.cancelled ?? false,
    startsAt: change.startsAt ?? undefined,
    durationMinutes: change.durationMinutes ?? undefined,
    room: room || undefined,
    roomId: change.roomId ?? undefined,
    reason: change.reason?.trim() || null,
    createUserId: identity.userId,
  };
  const day = new Date(`${date}T00:00:00Z`);
  if (change.roomId) await usableRoom(tx, event, change.roomId);
  const saved = await tx.eventOverride.upsert({
    where: { eventId_date: { eventId: event.id, date: day } },
    create: { ...data, tenantId: event.tenantId, facilityId: event.facilityId, eventId: event.id, date: day },
    update: data,
  });
  const after = occurrenceOn(event, zone, [...overrides.filter((o) => o.id !== saved.id), saved], date)!;
  if (after.roomId && !after.cancelled && (change.roomId || change.startsAt || change.durationMinutes)) {
    const programClass = await tx.programClass.findUniqueOrThrow({ where: { id: event.classId } });
    await checkRoom(tx, after.roomId, event, programClass, zone);
  }
  const snapshot = (o: Occurrence) => ({
    eventId: o.eventId,
    date: o.date,
    startsAt: o.startsAt.toISOString(),
    endsAt: o.endsAt.toISOString(),
    room: o.room,
    roomId: o.roomId,
    cancelled: o.cancelled,
  });
  await logChanges(tx, [
    {
      actor: identity,
      programClass: { id: event.classId, tenantId: event.tenantId, facilityId: event.facilityId },
      action: change.cancelled ? 'occurrence.cancelled' : 'occurrence.changed',
      reason: data.reason,
      before: snapshot(before),
      after: snapshot(after),
    },
  ]);
  return after;
}
