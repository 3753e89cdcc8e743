import type { Redis } from 'ioredis';
import { enqueueEvent } from './outbox.ts';

/** The one stream every subgraph appends its domain events to; the gateway reads it for subscriptions. */
export const EVENT_STREAM = 'pathway:events';
/** Bounded so Redis memory stays flat; retention beyond this belongs to the subscription layer. */
export const STREAM_MAX_LENGTH = 100_000;

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
  /**
   * Publishes at once. Use it only for writes outside Postgres (e.g. a MongoDB update): for a
   * Postgres write, publish `within(tx)` so the event exists only if the transaction commits.
   */
  publish(event: DomainEvent): Promise<string>;
  /** A publisher writing to the transactional outbox of `tx`; the relay publishes after commit. */
  within(tx: { $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> }): EventPublisher;
}

export function createEventPublisher(redis: Redis, source: string, afterEnqueue: () => void = () => {}): EventPublisher {
  const envelope = (event: DomainEvent) => JSON.stringify({ ...event, source, occurredAt: new Date().toISOString() });
  const publisher: EventPublisher = {
    async publish(event) {
      const id = await redis.xadd(EVENT_STREAM, 'MAXLEN', '~', String(STREAM_MAX_LENGTH), '*', 'event', envelope(event));
      return id ?? '';
    },
    within: (tx) => ({
      async publish(event) {
        await enqueueEvent(tx, envelope(event));
        // The commit follows shortly; nudge the relay then (its poll is the safety net).
        setTimeout(afterEnqueue, 5).unref();
        return '';
      },
      within: publisher.within,
    }),
  };
  return publisher;
}
