import type { EventPublisher, PendingEvent } from '@pathway/kit';

/** The domain events this subgraph publishes (see kit/events for the envelope). */
export const MarketEvents = {
  reservationChanged: 'market.reservation.changed',
  assetTransferred: 'market.asset.transferred',
} as const;

/** A reservation was made, confirmed, expired or cancelled; the person reserving is `userId`. */
export function publishReservationChanged(
  events: EventPublisher,
  reservation: { id: string; tenantId: string; userId: string; propertyId: string; status: string },
) {
  return events.publish({
    type: MarketEvents.reservationChanged,
    tenantId: reservation.tenantId,
    userId: reservation.userId,
    entityId: reservation.id,
    payload: { propertyId: reservation.propertyId, status: reservation.status },
  });
}

/**
 * A digital asset changed hands; the event is about the new owner. The asset lives in MongoDB, so
 * the event is stored on it by the transfer's own update (see data/assets.ts `transferAsset`).
 */
export function assetTransferredEvent(
  events: EventPublisher,
  asset: { id: string; tenantId: string; creatorId: string },
  fromOwnerId: string,
  toOwnerId: string,
): PendingEvent {
  return events.pending({
    type: MarketEvents.assetTransferred,
    tenantId: asset.tenantId,
    userId: toOwnerId,
    entityId: asset.id,
    payload: { fromOwnerId, toOwnerId },
    // Who could see the asset then (data/assets.ts visibleTo): its parties and tenant-wide readers.
    // Someone who holds it later, or sees it listed later, learns nothing of this transfer.
    audience: { userIds: [fromOwnerId, toOwnerId, asset.creatorId], reach: 'tenant' },
  });
}
