import type { EventPublisher, PendingEvent, TransactionalPublisher } from '@pathway/kit';
import type { Property, Transaction } from './generated/prisma/client.ts';
import type { ActivityType } from './writes/activity.ts';
import type { ReservationMove } from './writes/reservations.ts';

/** The domain events this subgraph publishes (their types and payloads: kit/event-catalog). */

/**
 * A digital asset changed hands; the event is about the new owner. The asset lives in MongoDB, so
 * the event is stored on it by the transfer's own update (see data/assets.ts `applyTransfer`).
 */
export function assetTransferredEvent(
  events: EventPublisher,
  asset: { id: string; tenantId: string; creatorId: string },
  fromOwnerId: string,
  toOwnerId: string,
): PendingEvent {
  return events.pending({
    type: 'market.asset.transferred',
    tenantId: asset.tenantId,
    userId: toOwnerId,
    entityId: asset.id,
    payload: { fromOwnerId, toOwnerId },
    // Who could see the asset then (data/assets.ts visibleTo): its parties and tenant-wide readers.
    // Someone who holds it later, or sees it listed later, learns nothing of this transfer.
    audience: { userIds: [fromOwnerId, toOwnerId, asset.creatorId], reach: 'tenant' },
  });
}

/**
 * A listing changed (`change` is its activity type), inside the write's transaction; tenant-wide like
 * listings. A verification is its own event type (`listingVerified`).
 */
export function publishPropertyChanged(events: TransactionalPublisher, property: Property, change: ActivityType) {
  if (change === 'property.verified')
    return events.publish({ type: 'market.property.verified', tenantId: property.tenantId, entityId: property.id });
  return events.publish({
    type: 'market.property.changed',
    tenantId: property.tenantId,
    entityId: property.id,
    payload: { change, status: property.status, isVerified: property.isVerified },
  });
}

/** A reservation was requested or changed status; about the person it is for, at their facility. */
export function publishReservationChanged(events: TransactionalPublisher, { reservation, previousStatus }: ReservationMove) {
  return events.publish({
    type: 'market.reservation.changed',
    tenantId: reservation.tenantId,
    facilityId: reservation.facilityId,
    userId: reservation.userId,
    entityId: reservation.id,
    payload: { propertyId: reservation.propertyId, status: reservation.status, previousStatus },
  });
}

/**
 * A transaction completed. Its amounts are the parties' business, and who may see a transaction
 * never changes, so the audience is recorded: the parties and tenant-wide readers.
 */
export function publishTransactionCompleted(events: TransactionalPublisher, t: Transaction) {
  return events.publish({
    type: 'market.transaction.completed',
    tenantId: t.tenantId,
    userId: t.buyerId,
    entityId: t.id,
    payload: { itemType: t.itemType, itemId: (t.propertyId ?? t.assetId)!, transactionType: t.transactionType },
    audience: { userIds: [t.buyerId, ...(t.sellerId ? [t.sellerId] : [])], reach: 'tenant' },
  });
}

/**
 * A business project was created, changed or archived; about its owner, at their facility. The
 * project lives in MongoDB, so the event waits on the project (the kit's document outbox), pushed by
 * the change's own update.
 */
export function projectChangedEvent(
  events: EventPublisher,
  project: { id: string; tenantId: string; facilityId: string | null; ownerId: string; status: string },
  change: ActivityType,
): PendingEvent {
  return events.pending({
    type: 'market.project.changed',
    tenantId: project.tenantId,
    facilityId: project.facilityId,
    userId: project.ownerId,
    entityId: project.id,
    payload: { change, status: project.status },
  });
}
