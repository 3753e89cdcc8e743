import type { EventPublisher } from '@pathway/kit';

/** The domain events this subgraph publishes (see kit/events for the envelope). */
export const IdentityEvents = {
  userCreated: 'identity.user.created',
  notificationAdded: 'identity.notification.added',
} as const;

export function publishUserCreated(events: EventPublisher, user: { id: string; tenantId: string; homeFacilityId: string | null }) {
  return events.publish({
    type: IdentityEvents.userCreated,
    tenantId: user.tenantId,
    facilityId: user.homeFacilityId,
    userId: user.id,
    entityId: user.id,
  });
}

export function publishNotificationAdded(
  events: EventPublisher,
  notification: { id: string; tenantId: string; userId: string; type: string },
  facilityId: string | null,
) {
  return events.publish({
    type: IdentityEvents.notificationAdded,
    tenantId: notification.tenantId,
    facilityId,
    userId: notification.userId,
    entityId: notification.id,
    payload: { notificationType: notification.type },
  });
}

export function publishFeatureFlagChanged(
  events: EventPublisher,
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
