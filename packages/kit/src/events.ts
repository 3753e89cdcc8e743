import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { PendingEvent } from './document-outbox.ts';
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
  /**
   * Who may hear of the event at all, decided when it happens: these people, and callers of at
   * least `reach` in the event's tenant (`system`: every tenant). Needed where the entity's
   * visibility changes over time (a subscriber who gains sight of it later, or replays old events,
   * must not learn of earlier changes). Absent: the scope rules alone decide.
   */
  audience?: { userIds: string[]; reach?: 'tenant' | 'system' };
  payload?: P;
}

/** A domain event as read back from the stream; `cursor` is its stream id (monotonic, so it orders events). */
export interface StreamEvent extends DomainEvent {
  cursor: string;
  source: string;
  occurredAt: string;
}

/** One stream entry's `event` field as an event; null for an entry that holds no readable event. */
export function parseStreamEntry(id: string, fields: string[] | null): StreamEvent | null {
  const index = fields?.indexOf('event') ?? -1;
  if (!fields || index < 0) return null;
  try {
    return { ...(JSON.parse(fields[index + 1]!) as Omit<StreamEvent, 'cursor'>), cursor: id };
  } catch {
    return null;
  }
}

export interface EventPublisher {
  /**
   * Publishes at once, whatever becomes of any write. For an event about a Postgres write, publish
   * `within(tx)`; about a MongoDB document, store `pending(event)` in the document's own update.
   */
  publish(event: DomainEvent): Promise<string>;
  /** A publisher writing to the transactional outbox of `tx`; the relay publishes after commit. */
  within(tx: { $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> }): EventPublisher;
  /**
   * The event as an entry to push onto the `pendingEvents` of the document it is about, in the same
   * update as the change (the collection must be one of the subgraph's `documentOutboxes`); the relay
   * publishes it after. Call `relayNow()` once the update is done.
   */
  pending(event: DomainEvent): PendingEvent;
  /**
   * Runs the relay after a write that stored pending events; resolves when it has run (its poll
   * retries whatever it could not publish), or after at most a second, so a slow Redis or a backlog
   * never holds up the caller for long. Awaited, the events are normally on the stream when the
   * caller answers, as if published directly.
   */
  relayNow(): Promise<void>;
}

const RELAY_WAIT_MS = 1_000;

export function createEventPublisher(redis: Redis, source: string, relayNow: () => Promise<void> = async () => {}): EventPublisher {
  const envelope = (event: DomainEvent) => ({ ...event, source, occurredAt: new Date().toISOString() });
  const publisher: EventPublisher = {
    async publish(event) {
      const id = await redis.xadd(EVENT_STREAM, 'MAXLEN', '~', String(STREAM_MAX_LENGTH), '*', 'event', JSON.stringify(envelope(event)));
      return id ?? '';
    },
    within: (tx) => ({
      ...publisher,
      async publish(event) {
        await enqueueEvent(tx, JSON.stringify(envelope(event)));
        // The commit follows shortly; nudge the relay then (its poll is the safety net).
        setTimeout(() => void relayNow(), 5).unref();
        return '';
      },
    }),
    pending: (event) => ({ id: randomUUID(), at: new Date(), event: envelope(event) }),
    relayNow: () =>
      new Promise<void>((resolve) => {
        setTimeout(resolve, RELAY_WAIT_MS).unref();
        void relayNow().then(resolve);
      }),
  };
  return publisher;
}
