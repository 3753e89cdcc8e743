import type { Redis } from 'ioredis';

/** The one stream every subgraph appends its domain events to; the gateway reads it for subscriptions. */
export const EVENT_STREAM = 'pathway:events';
/** Bounded so Redis memory stays flat; retention beyond this belongs to the subscription layer. */
const STREAM_MAX_LENGTH = 100_000;

export interface DomainEvent<P = Record<string, unknown>> {
  /** e.g. `identity.user.created`, `campus.enrollment.changed`. */
  type: string;
  /** Scope of the event, so delivery can be restricted to who may see it. */
  tenantId: string;
  facilityId?: string | null;
  /** The person the event is about, when there is one. */
  userId?: string | null;
  /** The entity to resolve through the graph for subscribers. */
  entityId: string;
  payload?: P;
}

export interface EventPublisher {
  publish(event: DomainEvent): Promise<string>;
}

export function createEventPublisher(redis: Redis, source: string): EventPublisher {
  return {
    async publish(event) {
      const body = JSON.stringify({ ...event, source, occurredAt: new Date().toISOString() });
      const id = await redis.xadd(EVENT_STREAM, 'MAXLEN', '~', String(STREAM_MAX_LENGTH), '*', 'event', body);
      return id ?? '';
    },
  };
}
