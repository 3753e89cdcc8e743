import { badInput, conflict, exclusionViolation, forbidden, notFound, parseInput, uuidArg, type Identity } from '@pathway/kit';
import { z } from 'zod';
import type { RequestReservationInput } from '../generated/graphql.ts';
import { Prisma, type Reservation, type ReservationStatus } from '../generated/prisma/client.ts';
import { managesListings, propertyAccess, reservationAccess } from '../access.ts';
import { logActivity, SERVICE_ACTOR, type ActivityType } from './activity.ts';
import { reasonText } from './property-input.ts';

type Tx = Prisma.TransactionClient;

/** A reservation whose status changed, with the status it had (null: new), for its event. */
export interface ReservationMove {
  reservation: Reservation;
  previousStatus: ReservationStatus | null;
}

const TWO_YEARS_MS = 2 * 366 * 24 * 3600 * 1000;
const decimal2 = z
  .custom<Prisma.Decimal>((v) => Prisma.Decimal.isDecimal(v), 'must be a decimal')
  .refine((d) => d.greaterThanOrEqualTo(0) && d.lessThanOrEqualTo(9_999_999_999.99), {
    message: 'must be at least 0 and at most 9999999999.99',
  })
  .refine((d) => d.decimalPlaces() <= 2, { message: 'at most 2 decimal places' });
const requestFields = z.object({
  startsAt: z.date(),
  endsAt: z.date(),
  depositAmount: decimal2.nullish(),
  depositCurrency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
    .nullish(),
  notes: z.string().max(2000).nullish(),
});

const snapshot = (r: Reservation) => ({ status: r.status });

/**
 * Lapses the pending holds past their time (of one listing, or all the caller's scope reaches):
 * the job's sweep, and the first step of every request so a lapsed hold never blocks a new one.
 * Returns what it moved, for their events.
 */
export async function expireHolds(tx: Tx, propertyId?: string): Promise<ReservationMove[]> {
  const lapsed = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM property_reservations
    WHERE status = 'pending' AND hold_expires_at <= now() ${propertyId ? Prisma.sql`AND property_id = ${propertyId}::uuid` : Prisma.empty}
    ORDER BY hold_expires_at LIMIT 500 FOR UPDATE SKIP LOCKED`;
  if (lapsed.length === 0) return [];
  const ids = lapsed.map((row) => row.id);
  await tx.reservation.updateMany({ where: { id: { in: ids } }, data: { status: 'expired', decidedAt: new Date() } });
  const moved = await tx.reservation.findMany({ where: { id: { in: ids } } });
  await logActivity(
    tx,
    moved.map((reservation) => line(SERVICE_ACTOR, reservation, 'reservation.expired', 'pending', 'not answered in time')),
  );
  return moved.map((reservation) => ({ reservation, previousStatus: 'pending' }));
}

const line = (
  actor: Pick<Identity, 'userId'>,
  r: Reservation,
  activityType: ActivityType,
  from: ReservationStatus | null,
  reason?: string | null,
) => ({
  actor,
  entity: r,
  entityType: 'reservation' as const,
  activityType,
  reason: reason ?? null,
  before: from ? { status: from } : null,
  after: snapshot(r),
});

export async function requestReservation(tx: Tx, identity: Identity, input: RequestReservationInput, holdHours: number) {
  const propertyId = uuidArg(input.propertyId, 'propertyId')!;
  const fields = parseInput(requestFields, input, 'The reservation');
  const now = Date.now();
  const fieldErrors: Record<string, string> = {};
  if (fields.startsAt.getTime() <= now) fieldErrors.startsAt = 'must be in the future';
  if (fields.endsAt <= fields.startsAt) fieldErrors.endsAt = 'must be after startsAt';
  else if (fields.endsAt.getTime() - fields.startsAt.getTime() > TWO_YEARS_MS) fieldErrors.endsAt = 'at most two years after startsAt';
  if (fields.depositCurrency && !fields.depositAmount) fieldErrors.depositAmount = 'needed with depositCurrency';
  if (Object.keys(fieldErrors).length > 0) throw badInput('The reservation is not valid.', fieldErrors);
  // The exclusion constraint is what keeps periods apart. Locking the listing's row first only puts
  // concurrent requests of one listing in a line: without it, inserts whose periods overlap wait on
  // each other's uncommitted rows in cycles (Postgres deadlocks, 1 s each, then a starved pool: seen
  // with 50 staggered requests). An unlist or archive of the listing waits for them too.
  await tx.$queryRaw`SELECT id FROM properties WHERE id = ${propertyId}::uuid FOR UPDATE`;
  const property = await tx.property.findFirst({ where: { AND: [{ id: propertyId }, propertyAccess.where(identity)] } });
  if (!property) throw notFound('The listing');
  if (property.status !== 'available' && property.status !== 'reserved')
    throw conflict(`A ${property.status} listing takes no reservations.`, { reason: 'LISTING_UNAVAILABLE', status: property.status });
  const expired = await expireHolds(tx, property.id);
  const holdUntil = new Date(Math.min(now + holdHours * 3600_000, fields.startsAt.getTime()));
  const created = await tx.reservation
    .create({
      data: {
        tenantId: property.tenantId,
        propertyId: property.id,
        ownerId: property.ownerId,
        userId: identity.userId,
        facilityId: identity.facilityId ?? null,
        startsAt: fields.startsAt,
        endsAt: fields.endsAt,
        depositAmount: fields.depositAmount ?? null,
        depositCurrency: fields.depositAmount ? (fields.depositCurrency ?? property.currency) : null,
        notes: fields.notes?.trim() || null,
        holdExpiresAt: holdUntil,
      },
    })
    .catch((error: unknown) => {
      if (exclusionViolation(error) === null) throw error;
      throw conflict('The listing is already reserved for part of that period.', { reason: 'RESERVATION_OVERLAP' });
    });
  await logActivity(tx, [line(identity, created, 'reservation.requested', null)]);
  return { moves: [...expired, { reservation: created, previousStatus: null }], created };
}

/** Locks the reservation row and returns it if the caller may see it (else NOT_FOUND). */
async function lockReservation(tx: Tx, identity: Identity, id: string): Promise<Reservation> {
  const reservationId = uuidArg(id, 'id')!;
  await tx.$queryRaw`SELECT id FROM property_reservations WHERE id = ${reservationId}::uuid FOR UPDATE`;
  const found = await tx.reservation.findFirst({ where: { AND: [{ id: reservationId }, reservationAccess.where(identity)] } });
  if (!found) throw notFound('The reservation');
  return found;
}

type Decision = 'confirm' | 'decline' | 'cancel';
const DECISIONS: Record<Decision, { to: ReservationStatus; from: ReservationStatus[]; activity: ActivityType }> = {
  confirm: { to: 'confirmed', from: ['pending'], activity: 'reservation.confirmed' },
  decline: { to: 'declined', from: ['pending'], activity: 'reservation.declined' },
  cancel: { to: 'cancelled', from: ['pending', 'confirmed'], activity: 'reservation.cancelled' },
};

/** Confirm and decline are the listing side's (owner, listing managers); cancel also the person's it is for. */
export async function decideReservation(tx: Tx, identity: Identity, id: string, decision: Decision, reason?: string | null) {
  const why = parseInput(reasonText, reason, 'The reason');
  let current = await lockReservation(tx, identity, id);
  const listingSide = current.ownerId === identity.userId || managesListings(identity);
  if (!listingSide && !(decision === 'cancel' && current.userId === identity.userId))
    throw forbidden(
      decision === 'cancel'
        ? 'Only the person it is for, the listing’s owner or a listing manager may cancel this reservation.'
        : 'Only the listing’s owner or a listing manager may answer this request.',
    );
  // A hold past its time has lapsed, even if the sweep has not run yet.
  const expired =
    current.status === 'pending' && current.holdExpiresAt.getTime() <= Date.now() ? await expireHolds(tx, current.propertyId) : [];
  if (expired.length > 0) current = (await tx.reservation.findUnique({ where: { id: current.id } }))!;
  const { to, from, activity } = DECISIONS[decision];
  if (current.status === to) throw conflict(`The reservation is already ${to}.`, { reason: 'ALREADY_IN_STATE' });
  if (!from.includes(current.status)) {
    const allowed = Object.values(DECISIONS)
      .filter((d) => d.from.includes(current.status))
      .map((d) => d.to);
    throw conflict(`A ${current.status} reservation cannot become ${to}.`, {
      reason: 'INVALID_TRANSITION',
      from: current.status,
      to,
      allowed,
    });
  }
  const updated = await tx.reservation.update({
    where: { id: current.id },
    data: { status: to, decidedAt: new Date(), decidedById: identity.userId },
  });
  await logActivity(tx, [line(identity, updated, activity, current.status, why)]);
  return { moves: [...expired, { reservation: updated, previousStatus: current.status }], updated };
}
