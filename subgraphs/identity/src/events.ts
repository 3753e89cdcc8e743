import type { EventPublisher } from '@pathway/kit';

/** The domain events this subgraph publishes (see kit/events for the envelope). */
export const IdentityEvents = {
  userCreated: 'identity.user.created',
  notificationAdded: 'identity.notification.added',
} as const;

export function publishUserCreated(events: EventPublisher, user: { id: string; tenantId: string; homeFacilityId: string | null }) {
  return events.publish({ type: IdentityEvents.userCreated, tenantId: user.tenantId, facilityId: user.homeFacilityId, userId: user.id, entityId: user.id });
}
