import { badInput, type Identity, notFound, reachFilter, uuidArg, uuidsOnly } from '@pathway/kit';

import type { ClassEvent, EventOverride, Prisma } from '../generated/prisma/client.ts';
import * as access from '../access.ts';
import { occurrenceOn, type Occurrence } from '../schedule.ts';

type Tx = Prisma.TransactionClient;

const MAX_RANGE_DAYS = 366;

/** A date range for expansion: from before to, at most a year long. */
export function checkRange(from: Date, to: Date) {
  if (!(from < to)) throw badInput('`from` must be before `to`.', { to: 'is not after from' });
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000)
    throw badInput(`A range is at most ${MAX_RANGE_DAYS} days.`, { to: 'range too long' });
}

/** The facility time zone of each of `facilityIds` (not reach-filtered: a time zone is not a secret, and callers hold the class already). */
export async function timezonesOf(tx: Tx, facilityIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await tx.facility.findMany({ where: { id: { in: uuidsOnly(facilityIds) } }, select: { id: true, timezone: true } });
  return new Map(rows.map((r) => [r.id, r.timezone]));
}

export const findEventsByIds = (tx: Tx, identity: Identity, ids: readonly string[]) =>
  tx.classEvent.findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, access.classEvent.where(identity)] } });
export const eventsOfClasses = (tx: Tx, identity: Identity, classIds: readonly string[]) =>
  tx.classEvent.findMany({
    where: { AND: [{ classId: { in: uuidsOnly(classIds) } }, access.classEvent.where(identity)] },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
  });
export const overridesOfEvents = (tx: Tx, eventIds: readonly string[]) =>
  tx.eventOverride.findMany({ where: { eventId: { in: uuidsOnly(eventIds) } } });

/** An event whose class lies in the caller's reach, with its time zone and overrides, or NOT_FOUND. */
export async function eventInReach(tx: Tx, identity: Identity, id: string) {
  const eventId = uuidArg(id, 'eventId')!;
  const event = await tx.classEvent.findFirst({ where: { AND: [{ id: eventId }, reachFilter(identity)] } });
  if (!event) throw notFound('The class event');
  const zone = (await timezonesOf(tx, [event.facilityId])).get(event.facilityId) ?? 'UTC';
  const overrides = await tx.eventOverride.findMany({ where: { eventId } });
  return { event, zone, overrides };
}

/** The occurrence on `date`, or BAD_USER_INPUT naming the date (nothing happens that day). */
export function requireOccurrence(event: ClassEvent, zone: string, overrides: EventOverride[], date: string): Occurrence {
  const occurrence = occurrenceOn(event, zone, overrides, date);
  if (!occurrence) throw badInput(`The event has no occurrence on ${date}.`, { date: 'is not an occurrence of this event' });
  return occurrence;
}
