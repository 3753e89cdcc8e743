/**
 * Every domain event the subgraphs publish, in one place: its name, the subgraph that owns (and
 * alone publishes) it, its payload type and who may hear of it. The publisher accepts only these
 * types, each with its own payload; the webhook event list, the gateway's subscriptions and the
 * response cache's invalidation read them from here. Only types something publishes belong here:
 * `packages/kit/test/event-catalog.test.ts` fails for a type with no publishing call site.
 */

export type SubgraphName = 'identity' | 'campus' | 'learning' | 'behavior' | 'market';

/**
 * Who may hear of an event. `scope`: whoever the event's tenant, facility and person admit (the
 * scope rules decide at delivery). `recorded`: only the `audience` the publisher records when the
 * event happens, because the entity's visibility changes over time (see `DomainEvent.audience`).
 */
export type AudienceRule = 'scope' | 'recorded';

export interface EventSpec {
  subgraph: SubgraphName;
  /** The payload's type, carried by `payloadOf<P>()` (no value at run time). */
  payload: unknown;
  audience: AudienceRule;
  /** What happened, for integrators. */
  description: string;
}

/** Names a payload type in the catalog: the value is a placeholder, only its type is read. */
const payloadOf = <P>() => undefined as P;

/** An event with no payload: the entity id says it all. */
type NoPayload = undefined;

export const EVENT_CATALOG = {
  'identity.user.created': {
    subgraph: 'identity',
    payload: payloadOf<NoPayload>(),
    audience: 'scope',
    description: 'A user account was created.',
  },
  'identity.notification.added': {
    subgraph: 'identity',
    payload: payloadOf<{ notificationType: string }>(),
    audience: 'scope',
    description: 'A notification was added for a user.',
  },
  'identity.facility_flag.changed': {
    subgraph: 'identity',
    payload: payloadOf<{ flag: string; enabled: boolean }>(),
    audience: 'scope',
    description: "A facility's feature flag was turned on or off.",
  },
  'campus.enrollment.changed': {
    subgraph: 'campus',
    payload: payloadOf<{ classId: string; status: string; previousStatus: string | null }>(),
    audience: 'scope',
    description: 'A class enrollment was created or changed status.',
  },
  'campus.attendance.recorded': {
    subgraph: 'campus',
    payload: payloadOf<{ classId: string; eventId: string; date: string; records: number; corrected: number }>(),
    audience: 'scope',
    description: 'Attendance of one class occurrence was taken or corrected (counts only).',
  },
  'campus.class.status_changed': {
    subgraph: 'campus',
    payload: payloadOf<{ status: string; previousStatus: string }>(),
    audience: 'scope',
    description: "A class's status changed.",
  },
  'campus.facility.changed': {
    subgraph: 'campus',
    payload: payloadOf<{ action: string }>(),
    audience: 'scope',
    description: 'A facility was created, changed, archived or reactivated.',
  },
  'campus.program.changed': {
    subgraph: 'campus',
    payload: payloadOf<{ action: string; facilityId: string | null }>(),
    audience: 'scope',
    description: 'A program was created, changed, archived, reactivated, deleted, or offered at or withdrawn from a facility.',
  },
  'behavior.request.opened': {
    subgraph: 'behavior',
    payload: payloadOf<{ status: string }>(),
    audience: 'scope',
    description: 'A behavior request was opened for a student (the entity is the request; details through the API).',
  },
  'behavior.request.updated': {
    subgraph: 'behavior',
    payload: payloadOf<{ status: string; previousStatus: string }>(),
    audience: 'scope',
    description: "A behavior request's status changed.",
  },
  'behavior.reflection.completed': {
    subgraph: 'behavior',
    payload: payloadOf<{ reflectionId: string }>(),
    audience: 'scope',
    description: "A student completed the reflection on a behavior request (the entity is the request; never the reflection's content).",
  },
  'behavior.communication.status_changed': {
    subgraph: 'behavior',
    payload: payloadOf<{ status: string; channel: string }>(),
    audience: 'scope',
    description:
      'A message to a guardian was sent, or failed after its last attempt (the entity is the communication log; never its text).',
  },
  'behavior.insight.changed': {
    subgraph: 'behavior',
    payload: payloadOf<{ insightType: string }>(),
    audience: 'scope',
    description:
      "A student's stored insight (pattern) changed its headline, e.g. the request trend became worsening (the entity is the insight).",
  },
  'learning.sync.finished': {
    subgraph: 'learning',
    payload: payloadOf<{
      providerPlatformId: string;
      status: 'completed' | 'failed' | 'cancelled';
      counts: Record<string, number>;
      error: string | null;
    }>(),
    audience: 'scope',
    description: "A provider platform's sync run ended (completed, failed or cancelled), with its counts.",
  },
  'learning.milestone.completed': {
    subgraph: 'learning',
    payload: payloadOf<{ courseId: string; milestoneType: string }>(),
    audience: 'scope',
    description: 'A person completed a course milestone (enrollment, submission, grade, discussion post).',
  },
  'learning.outcome.awarded': {
    subgraph: 'learning',
    payload: payloadOf<{ courseId: string; outcomeType: string; value: string | null }>(),
    audience: 'scope',
    description: 'A person was awarded a course outcome (grade, progress completion, certificate, …), or its value changed.',
  },
  'learning.content_request.changed': {
    subgraph: 'learning',
    payload: payloadOf<{ status: 'open' | 'fulfilled' | 'declined'; previousStatus: 'open' | 'fulfilled' | 'declined' | null }>(),
    audience: 'scope',
    description: "A resident's content request was opened (previousStatus null) or answered (fulfilled or declined).",
  },
  'market.asset.transferred': {
    subgraph: 'market',
    payload: payloadOf<{ fromOwnerId: string; toOwnerId: string }>(),
    audience: 'recorded',
    description: 'A digital asset changed hands.',
  },
  'market.reservation.changed': {
    subgraph: 'market',
    payload: payloadOf<{ propertyId: string; status: string; previousStatus: string | null }>(),
    audience: 'scope',
    description: 'A reservation was requested, confirmed, declined, cancelled or expired.',
  },
  'market.transaction.completed': {
    subgraph: 'market',
    payload: payloadOf<{ itemType: string; itemId: string; transactionType: string }>(),
    audience: 'recorded',
    description: 'A sale, lease, transfer or mint of a listing or a digital asset completed.',
  },
  'market.property.verified': {
    subgraph: 'market',
    payload: payloadOf<NoPayload>(),
    audience: 'scope',
    description: 'Staff confirmed a property listing is real and accurate.',
  },
  'market.property.changed': {
    subgraph: 'market',
    payload: payloadOf<{ change: string; status: string; isVerified: boolean }>(),
    audience: 'scope',
    description:
      'A property listing was created, changed, verified, unlisted, relisted or archived, or its media replaced (`change` says which).',
  },
  'market.project.changed': {
    subgraph: 'market',
    payload: payloadOf<{ change: string; status: string }>(),
    audience: 'scope',
    description: "A person's business project was created, changed, moved to another status or archived (`change` says which).",
  },
} as const satisfies Record<string, EventSpec>;

type Catalog = typeof EVENT_CATALOG;

/** Every event type something publishes. */
export type EventType = keyof Catalog;
export type EventPayload<T extends EventType> = Catalog[T]['payload'];
/** The event types a subgraph owns. */
export type EventTypeOf<S extends SubgraphName> = { [T in EventType]: Catalog[T]['subgraph'] extends S ? T : never }[EventType];

export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as EventType[];

export function isEventType(type: unknown): type is EventType {
  return typeof type === 'string' && Object.hasOwn(EVENT_CATALOG, type);
}

/** The event types owned by any of `subgraphs`. */
export function eventTypesOf<S extends SubgraphName>(...subgraphs: readonly S[]): EventTypeOf<S>[] {
  return EVENT_TYPES.filter((type): type is EventTypeOf<S> => (subgraphs as readonly string[]).includes(EVENT_CATALOG[type].subgraph));
}
