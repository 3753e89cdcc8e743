import { badInput, conflict, notFound, reachFilter, type Identity } from '@pathway/kit';
import { DateTime } from 'luxon';
import type { Prisma } from '../generated/prisma/client.ts';
import { logCatalogChange } from '../data/catalog-changes.ts';
import { logChanges } from '../data/changes.ts';
import { expand } from '../schedule.ts';
import { OPEN_CLASS } from './facilities.ts';

type Tx = Prisma.TransactionClient;

/** The facility (in reach, locked) and the instants its local `date` spans. */
async function facilityDay(tx: Tx, identity: Identity, facilityId: string, date: string) {
  await tx.$queryRaw`SELECT id FROM facilities WHERE id = ${facilityId}::uuid FOR UPDATE`;
  const facility = await tx.facility.findFirst({ where: { AND: [{ id: facilityId }, reachFilter(identity, 'id')] } });
  if (!facility) throw notFound('The facility');
  const day = DateTime.fromISO(date, { zone: facility.timezone });
  if (!day.isValid) throw badInput('Not a date.', { date: 'is not YYYY-MM-DD' });
  return {
    facility,
    from: day.startOf('day').toJSDate(),
    to: day.plus({ days: 1 }).startOf('day').toJSDate(),
    day: new Date(`${date}T00:00:00Z`),
  };
}

/**
 * Cancels every occurrence that starts on the facility's local `date` (a lockdown): one override per
 * occurrence, marked with the closure, so lifting it restores exactly these. Occurrences cancelled
 * on their own before are left as they are.
 */
export async function cancelFacilityDay(tx: Tx, identity: Identity, facilityId: string, date: string, reason: string) {
  const why = reason.trim();
  if (!why) throw badInput('Say why the day is closed.', { reason: 'is required' });
  if (why.length > 500) throw badInput('The reason is too long.', { reason: 'at most 500 characters' });
  const { facility, from, to, day } = await facilityDay(tx, identity, facilityId, date);
  const open = await tx.facilityClosure.findFirst({ where: { facilityId, date: day, liftedAt: null } });
  if (open) throw conflict(`The facility is already closed on ${date}.`, { reason: 'ALREADY_IN_STATE' });
  const closure = await tx.facilityClosure.create({
    data: { tenantId: facility.tenantId, facilityId, date: day, reason: why, createdBy: identity.userId },
  });
  const events = await tx.classEvent.findMany({ where: { facilityId, programClass: { status: { in: [...OPEN_CLASS] } } } });
  const overrides = await tx.eventOverride.findMany({ where: { eventId: { in: events.map((e) => e.id) } } });
  const hit = events.flatMap((e) =>
    expand(
      e,
      facility.timezone,
      overrides.filter((o) => o.eventId === e.id),
      from,
      to,
    ).filter((o) => !o.cancelled && o.startsAt >= from && o.startsAt < to),
  );
  for (const o of hit) {
    const key = { eventId_date: { eventId: o.eventId, date: new Date(`${o.date}T00:00:00Z`) } };
    const data = { cancelled: true, closureId: closure.id, reason: why, createUserId: identity.userId };
    await tx.eventOverride.upsert({
      where: key,
      create: { ...data, tenantId: facility.tenantId, facilityId, eventId: o.eventId, date: key.eventId_date.date },
      update: data,
    });
  }
  await logChanges(
    tx,
    hit.map((o) => ({
      actor: identity,
      programClass: { id: o.classId, tenantId: facility.tenantId, facilityId },
      action: 'occurrence.cancelled' as const,
      reason: why,
      before: { eventId: o.eventId, date: o.date, cancelled: false },
      after: { eventId: o.eventId, date: o.date, cancelled: true, closureId: closure.id },
    })),
  );
  await logCatalogChange(tx, {
    actor: identity,
    tenantId: facility.tenantId,
    entityType: 'facility',
    entityId: facilityId,
    action: 'facility.closed',
    reason: why,
    after: { date, closureId: closure.id, occurrences: hit.length },
  });
  return { closure, occurrences: hit.length };
}

/** Lifts the day's closure: what it cancelled takes place again (other changes of those occurrences stay). */
export async function uncancelFacilityDay(tx: Tx, identity: Identity, facilityId: string, date: string) {
  const { facility, day } = await facilityDay(tx, identity, facilityId, date);
  const closure = await tx.facilityClosure.findFirst({ where: { facilityId, date: day, liftedAt: null } });
  if (!closure) throw conflict(`The facility is not closed on ${date}.`, { reason: 'ALREADY_IN_STATE' });
  const cancelled = await tx.eventOverride.findMany({ where: { closureId: closure.id } });
  const events = await tx.classEvent.findMany({
    where: { id: { in: cancelled.map((o) => o.eventId) } },
    select: { id: true, classId: true },
  });
  // An override that only cancelled goes; one that also moved or re-roomed the occurrence keeps that.
  const bare = cancelled.filter((o) => o.startsAt == null && o.durationMinutes == null && o.room == null && o.roomId == null);
  await tx.eventOverride.deleteMany({ where: { id: { in: bare.map((o) => o.id) } } });
  await tx.eventOverride.updateMany({
    where: { closureId: closure.id },
    data: { cancelled: false, closureId: null, reason: null },
  });
  const lifted = await tx.facilityClosure.update({ where: { id: closure.id }, data: { liftedAt: new Date(), liftedBy: identity.userId } });
  await logChanges(
    tx,
    cancelled.map((o) => ({
      actor: identity,
      programClass: { id: events.find((e) => e.id === o.eventId)!.classId, tenantId: facility.tenantId, facilityId },
      action: 'occurrence.uncancelled' as const,
      before: { eventId: o.eventId, date: o.date.toISOString().slice(0, 10), cancelled: true, closureId: closure.id },
      after: { eventId: o.eventId, date: o.date.toISOString().slice(0, 10), cancelled: false },
    })),
  );
  await logCatalogChange(tx, {
    actor: identity,
    tenantId: facility.tenantId,
    entityType: 'facility',
    entityId: facilityId,
    action: 'facility.reopened',
    before: { date, closureId: closure.id },
    after: { occurrences: cancelled.length },
  });
  return { closure: lifted, occurrences: cancelled.length };
}
