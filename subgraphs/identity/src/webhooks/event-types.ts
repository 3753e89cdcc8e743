/**
 * The event types an endpoint may subscribe to: every type a subgraph publishes (their `events.ts`;
 * `subgraphs/identity/test/webhook-event-types.test.ts` fails when one is missing here).
 */
export const WEBHOOK_EVENT_TYPES = [
  'identity.user.created',
  'identity.notification.added',
  'identity.facility_flag.changed',
  'campus.enrollment.changed',
  'campus.attendance.recorded',
  'campus.class.status_changed',
  'learning.milestone.completed',
  'learning.outcome.awarded',
  'behavior.request.created',
  'behavior.reflection.completed',
  'market.reservation.changed',
  'market.asset.transferred',
] as const;
