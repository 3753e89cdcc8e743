import { reachOf, type EventType, type Identity, type StreamEvent } from '@pathway/kit';

/**
 * What each `Subscription` field of the supergraph delivers: which domain events, on which field
 * of the event type the entity sits, and the query field that looks the entity up by id. The
 * gateway resolves the entity through the graph with the subscriber's own identity, so they see
 * exactly the fields their role may see, and nothing when the entity is outside their reach.
 */
export interface SubscriptionSpec {
  /** From the kit's event catalog: only types something publishes. */
  eventTypes: readonly EventType[];
  entityField: string;
  lookupField: string;
  /** False for lookups that take no id (aggregates: the entity is the current figures). */
  byId?: boolean;
}

export const SUBSCRIPTIONS: Record<string, SubscriptionSpec> = {
  enrollmentChanged: { eventTypes: ['campus.enrollment.changed'], entityField: 'enrollment', lookupField: 'classEnrollment' },
  classStatusChanged: { eventTypes: ['campus.class.status_changed'], entityField: 'programClass', lookupField: 'programClass' },
  facilityChanged: { eventTypes: ['campus.facility.changed'], entityField: 'facility', lookupField: 'facility' },
  programChanged: { eventTypes: ['campus.program.changed'], entityField: 'program', lookupField: 'program' },
  learningSyncFinished: { eventTypes: ['learning.sync.finished'], entityField: 'task', lookupField: 'syncTask' },
  milestoneCompleted: { eventTypes: ['learning.milestone.completed'], entityField: 'milestone', lookupField: 'milestone' },
  outcomeAwarded: { eventTypes: ['learning.outcome.awarded'], entityField: 'outcome', lookupField: 'outcome' },
  contentRequestChanged: { eventTypes: ['learning.content_request.changed'], entityField: 'request', lookupField: 'contentRequest' },
  assetTransferred: { eventTypes: ['market.asset.transferred'], entityField: 'asset', lookupField: 'digitalAsset' },
  behaviorRequestChanged: {
    eventTypes: ['behavior.request.opened', 'behavior.request.updated'],
    entityField: 'request',
    lookupField: 'behaviorRequest',
  },
  reflectionCompleted: { eventTypes: ['behavior.reflection.completed'], entityField: 'request', lookupField: 'behaviorRequest' },
  insightChanged: { eventTypes: ['behavior.insight.changed'], entityField: 'insight', lookupField: 'behaviorInsight' },
  communicationStatusChanged: {
    eventTypes: ['behavior.communication.status_changed'],
    entityField: 'log',
    lookupField: 'communicationLog',
  },
  reservationChanged: { eventTypes: ['market.reservation.changed'], entityField: 'reservation', lookupField: 'reservation' },
  transactionCompleted: { eventTypes: ['market.transaction.completed'], entityField: 'transaction', lookupField: 'transaction' },
  listingVerified: { eventTypes: ['market.property.verified'], entityField: 'property', lookupField: 'property' },
  listingChanged: { eventTypes: ['market.property.changed'], entityField: 'property', lookupField: 'property' },
  projectChanged: { eventTypes: ['market.project.changed'], entityField: 'project', lookupField: 'businessProject' },
  marketActivity: {
    eventTypes: [
      'market.asset.transferred',
      'market.property.changed',
      'market.property.verified',
      'market.reservation.changed',
      'market.transaction.completed',
    ],
    entityField: 'stats',
    lookupField: 'marketStats',
    byId: false,
  },
};

/**
 * A cheap first cut by the event's scope before any lookup: other tenants' events never reach a
 * subscriber below system reach; facility-bound events only reach that facility (and the person the
 * event is about); an event with an audience reaches only that audience, for subscriptions that
 * deliver its entity. The entity lookup then applies the full field-level rules, as of delivery.
 */
export function mayReceive(identity: Identity, event: StreamEvent, spec: SubscriptionSpec): boolean {
  const reach = reachOf(identity);
  if (event.audience && spec.byId !== false && !inAudience(identity, reach, event)) return false;
  if (event.userId && event.userId === identity.userId) return true;
  if (reach === 'system') return true;
  if (event.tenantId !== identity.tenantId) return false;
  if (reach === 'tenant' || !event.facilityId) return true;
  return event.facilityId === identity.facilityId;
}

/** Whether the subscriber was among those who could know of the event when it happened. */
function inAudience(identity: Identity, reach: ReturnType<typeof reachOf>, event: StreamEvent): boolean {
  const audience = event.audience!;
  if (audience.userIds.includes(identity.userId) || reach === 'system') return true;
  return audience.reach === 'tenant' && reach === 'tenant' && identity.tenantId === event.tenantId;
}
