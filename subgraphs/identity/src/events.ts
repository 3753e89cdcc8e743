import type { TransactionalPublisher } from '@pathway/kit';

/** The domain events this subgraph publishes (their types and payloads: kit/event-catalog), inside the write's transaction. */

export function publishUserCreated(events: TransactionalPublisher, user: { id: string; tenantId: string; homeFacilityId: string | null }) {
  return events.publish({
    type: 'identity.user.created',
    tenantId: user.tenantId,
    facilityId: user.homeFacilityId,
    userId: user.id,
    entityId: user.id,
  });
}

export function publishNotificationAdded(
  events: TransactionalPublisher,
  notification: { id: string; tenantId: string; userId: string; type: string },
  facilityId: string | null,
) {
  return events.publish({
    type: 'identity.notification.added',
    tenantId: notification.tenantId,
    facilityId,
    userId: notification.userId,
    entityId: notification.id,
    payload: { notificationType: notification.type },
  });
}

export function publishFeatureFlagChanged(
  events: TransactionalPublisher,
  row: { facilityId: string; tenantId: string; flag: string; enabled: boolean },
) {
  return events.publish({
    type: 'identity.facility_flag.changed',
    tenantId: row.tenantId,
    facilityId: row.facilityId,
    entityId: row.facilityId,
    payload: { flag: row.flag, enabled: row.enabled },
  });
}
