import { badInput, conflict, notFound, reachFilter, rethrowDuplicate, type Identity, parseInput } from '@pathway/kit';
import { z } from 'zod';
import type { RoomInput, UpdateRoomInput } from '../generated/graphql.ts';
import type { ClassEvent, Prisma, Room } from '../generated/prisma/client.ts';
import { changedFields, logCatalogChange } from '../data/catalog-changes.ts';
import { logChanges } from '../data/changes.ts';
import { timezonesOf } from '../data/schedules.ts';
import { checkInstructors, checkRoom } from './bookings.ts';
import { OPEN_CLASS } from './facilities.ts';

type Tx = Prisma.TransactionClient;

const fields = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100),
  capacity: z.number().int().min(1, 'must be at least 1').max(10_000).nullish(),
});
const snapshot = (r: Room) => ({ name: r.name, capacity: r.capacity, archivedAt: r.archivedAt?.toISOString() ?? null });
const log = (tx: Tx, identity: Identity, room: Room, action: string, extra: object) =>
  logCatalogChange(tx, { actor: identity, tenantId: room.tenantId, entityType: 'room', entityId: room.id, action, ...extra });

async function lockRoom(tx: Tx, identity: Identity, id: string): Promise<Room> {
  await tx.$queryRaw`SELECT id FROM rooms WHERE id = ${id}::uuid FOR UPDATE`;
  const room = await tx.room.findFirst({ where: { AND: [{ id }, reachFilter(identity)] } });
  if (!room) throw notFound('The room');
  return room;
}

export async function createRoom(tx: Tx, identity: Identity, facilityId: string, input: RoomInput) {
  const data = parseInput(fields, input, 'The room');
  const facility = await tx.facility.findFirst({ where: { AND: [{ id: facilityId }, reachFilter(identity, 'id')] } });
  if (!facility) throw notFound('The facility');
  if (facility.archivedAt) throw conflict('The facility is archived.', { reason: 'ARCHIVED' });
  const room = await tx.room
    .create({ data: { tenantId: facility.tenantId, facilityId, name: data.name, capacity: data.capacity ?? null } })
    .catch(rethrowDuplicate('The facility has a room of this name already.', { name: 'is taken' }));
  await log(tx, identity, room, 'room.created', { after: snapshot(room) });
  return room;
}

export async function updateRoom(tx: Tx, identity: Identity, id: string, patch: UpdateRoomInput) {
  const current = await lockRoom(tx, identity, id);
  const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  const data = parseInput(fields, { ...current, ...given }, 'The room');
  const updated = await tx.room
    .update({ where: { id }, data: { name: data.name, capacity: data.capacity ?? null } })
    .catch(rethrowDuplicate('The facility has a room of this name already.', { name: 'is taken' }));
  const diff = changedFields(snapshot(current), snapshot(updated));
  if (diff.changed) await log(tx, identity, current, 'room.updated', diff);
  return updated;
}

export async function archiveRoom(tx: Tx, identity: Identity, id: string) {
  const current = await lockRoom(tx, identity, id);
  if (current.archivedAt) throw conflict('The room is already archived.', { reason: 'ALREADY_IN_STATE' });
  const events = await tx.classEvent.count({ where: { roomId: id, programClass: { status: { in: [...OPEN_CLASS] } } } });
  if (events > 0)
    throw conflict(`${events} event(s) of classes not yet ended are booked into this room; move them first.`, {
      reason: 'IN_USE',
      dependents: { events },
    });
  const updated = await tx.room.update({ where: { id }, data: { archivedAt: new Date() } });
  await log(tx, identity, current, 'room.archived', changedFields(snapshot(current), snapshot(updated)));
  return updated;
}

/** A room the event may be booked into: of the event's facility, in use, big enough for the class. */
export async function usableRoom(tx: Tx, event: Pick<ClassEvent, 'facilityId' | 'classId'>, roomId: string, field = 'roomId') {
  const room = await tx.room.findFirst({ where: { id: roomId, facilityId: event.facilityId } });
  if (!room) throw badInput('No such room at the class’s facility.', { [field]: 'is not a room of this facility' });
  if (room.archivedAt) throw conflict('The room is archived.', { reason: 'ARCHIVED' });
  const programClass = await tx.programClass.findUniqueOrThrow({ where: { id: event.classId } });
  if (room.capacity != null && programClass.capacity != null && programClass.capacity > room.capacity)
    throw badInput(`The room seats ${room.capacity}; the class takes ${programClass.capacity}.`, { [field]: 'too small for the class' });
  return { room, programClass };
}

/** Books an event's series into a room (or none), refused on a room or instructor clash. */
export async function setEventRoom(tx: Tx, identity: Identity, eventId: string, roomId: string | null | undefined) {
  const event = await tx.classEvent.findFirst({ where: { AND: [{ id: eventId }, reachFilter(identity)] } });
  if (!event) throw notFound('The class event');
  // Checked before the write: another facility's room would break the composite foreign key.
  if (roomId) await usableRoom(tx, event, roomId);
  const updated = await tx.classEvent.update({ where: { id: event.id }, data: { roomId: roomId ?? null } });
  await checkBookings(tx, updated, roomId ?? null, false);
  const programClass = await tx.programClass.findUniqueOrThrow({ where: { id: event.classId } });
  await logChanges(tx, [
    {
      actor: identity,
      programClass,
      action: 'room.booked',
      before: { eventId, roomId: event.roomId },
      after: { eventId, roomId: roomId ?? null },
    },
  ]);
  return updated;
}

/** The room and instructor checks of an event already written inside this transaction (a throw rolls it back). */
export async function checkBookings(tx: Tx, event: ClassEvent, roomId: string | null, instructors: boolean) {
  const zone = (await timezonesOf(tx, [event.facilityId])).get(event.facilityId) ?? 'UTC';
  const programClass = roomId
    ? (await usableRoom(tx, event, roomId)).programClass
    : await tx.programClass.findUniqueOrThrow({ where: { id: event.classId } });
  if (roomId) await checkRoom(tx, roomId, event, programClass, zone);
  if (instructors) await checkInstructors(tx, programClass, zone);
}
