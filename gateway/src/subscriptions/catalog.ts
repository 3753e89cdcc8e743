import { hasPermission, reachOf, type EventType, type Identity, type PermissionKey, type StreamEvent } from '@pathway/kit';

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
  /**
   * Any of these permissions shows a subscriber the events of entities not their own (what the
   * lookup's access rule reads, `access.ts` of the owning subgraph); without one, subscribing is
   * refused when `ownEvents` says they could see none.
   */
  permissions: readonly PermissionKey[];
  /**
   * True where people without those permissions still see the events of what is theirs (their own
   * enrollment, asset, reservation…): only service accounts, which own nothing, are then refused.
   * False: without one of the permissions nobody sees any event.
   */
  ownEvents: boolean;
}

export const SUBSCRIPTIONS: Record<string, SubscriptionSpec> = {
  enrollmentChanged: {
    eventTypes: ['campus.enrollment.changed'],
    entityField: 'enrollment',
    lookupField: 'classEnrollment',
    permissions: ['campus.enrollment.read'],
    ownEvents: true,
  },
  classStatusChanged: {
    eventTypes: ['campus.class.status_changed'],
    entityField: 'programClass',
    lookupField: 'programClass',
    permissions: ['campus.class.read'],
    ownEvents: true,
  },
  facilityChanged: {
    eventTypes: ['campus.facility.changed'],
    entityField: 'facility',
    lookupField: 'facility',
    permissions: ['campus.facility.read'],
    ownEvents: false,
  },
  programChanged: {
    eventTypes: ['campus.program.changed'],
    entityField: 'program',
    lookupField: 'program',
    permissions: ['campus.program.read'],
    ownEvents: false,
  },
  learningSyncFinished: {
    eventTypes: ['learning.sync.finished'],
    entityField: 'task',
    lookupField: 'syncTask',
    permissions: ['learning.provider.manage'],
    ownEvents: false,
  },
  milestoneCompleted: {
    eventTypes: ['learning.milestone.completed'],
    entityField: 'milestone',
    lookupField: 'milestone',
    permissions: ['learning.enrollment.read'],
    ownEvents: true,
  },
  outcomeAwarded: {
    eventTypes: ['learning.outcome.awarded'],
    entityField: 'outcome',
    lookupField: 'outcome',
    permissions: ['learning.enrollment.read'],
    ownEvents: true,
  },
  contentRequestChanged: {
    eventTypes: ['learning.content_request.changed'],
    entityField: 'request',
    lookupField: 'contentRequest',
    permissions: ['learning.content.manage'],
    ownEvents: true,
  },
  assetTransferred: {
    eventTypes: ['market.asset.transferred'],
    entityField: 'asset',
    lookupField: 'digitalAsset',
    permissions: ['market.asset.read'],
    ownEvents: true,
  },
  behaviorRequestChanged: {
    eventTypes: ['behavior.request.opened', 'behavior.request.updated'],
    entityField: 'request',
    lookupField: 'behaviorRequest',
    permissions: ['behavior.student.read'],
    ownEvents: true,
  },
  reflectionCompleted: {
    eventTypes: ['behavior.reflection.completed'],
    entityField: 'request',
    lookupField: 'behaviorRequest',
    permissions: ['behavior.student.read'],
    ownEvents: true,
  },
  insightChanged: {
    eventTypes: ['behavior.insight.changed'],
    entityField: 'insight',
    lookupField: 'behaviorInsight',
    permissions: ['behavior.pattern.read'],
    ownEvents: false,
  },
  communicationStatusChanged: {
    eventTypes: ['behavior.communication.status_changed'],
    entityField: 'log',
    lookupField: 'communicationLog',
    permissions: ['behavior.communication.manage'],
    ownEvents: true,
  },
  reservationChanged: {
    eventTypes: ['market.reservation.changed'],
    entityField: 'reservation',
    lookupField: 'reservation',
    permissions: ['market.reservation.read', 'market.property.manage'],
    ownEvents: true,
  },
  transactionCompleted: {
    eventTypes: ['market.transaction.completed'],
    entityField: 'transaction',
    lookupField: 'transaction',
    permissions: ['market.transaction.read', 'market.property.manage'],
    ownEvents: true,
  },
  listingVerified: {
    eventTypes: ['market.property.verified'],
    entityField: 'property',
    lookupField: 'property',
    permissions: ['market.property.read', 'market.property.manage'],
    ownEvents: true,
  },
  listingChanged: {
    eventTypes: ['market.property.changed'],
    entityField: 'property',
    lookupField: 'property',
    permissions: ['market.property.read', 'market.property.manage'],
    ownEvents: true,
  },
  projectChanged: {
    eventTypes: ['market.project.changed'],
    entityField: 'project',
    lookupField: 'businessProject',
    permissions: ['market.project.manage'],
    ownEvents: true,
  },
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
    permissions: ['market.aggregate.read'],
    ownEvents: false,
    byId: false,
  },
};

/** The permissions a subscriber lacks for seeing any event of the subscription; none when they could see some. */
export function missingPermissions(identity: Identity, spec: SubscriptionSpec): readonly PermissionKey[] {
  if (spec.permissions.some((key) => hasPermission(identity, key))) return [];
  return spec.ownEvents && !identity.serviceAccount ? [] : spec.permissions;
}

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
