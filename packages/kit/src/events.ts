import { randomUUID } from 'node:crypto';
import type { PendingEvent } from './document-outbox.ts';
import type { EVENT_CATALOG, EventPayload, EventType } from './event-catalog.ts';
import { enqueueEvent, enqueueEvents } from './outbox.ts';
import { envelope } from './stream.ts';

/**
 * Who may hear of an event at all, decided when it happens: these people, and callers of at least
 * `reach` in the event's tenant (`system`: every tenant). For event types whose catalog audience
 * rule is `recorded`: the entity's visibility changes over time (a subscriber who gains sight of
 * it later, or replays old events, must not learn of earlier changes).
 */
export type EventAudience = { userIds: string[]; reach?: 'tenant' | 'system' };

/** Where an event belongs, so delivery can be restricted to who may see it. */
type EventScope = {
  tenantId: string;
  facilityId?: string | null;
  /** The person the event is about, when there is one. */
  userId?: string | null;
  /** The entity to resolve through the graph for subscribers. */
  entityId: string;
};

type PayloadField<P> = [P] extends [undefined] ? { payload?: undefined } : { payload: P };
type AudienceField<T extends EventType> = (typeof EVENT_CATALOG)[T]['audience'] extends 'recorded'
  ? { audience: EventAudience }
  : { audience?: undefined };

/**
 * A domain event of a type in the catalog (`event-catalog.ts`), with that type's payload, and an
 * `audience` exactly when the type's audience rule is `recorded`. An unknown type does not compile.
 */
export type DomainEvent<T extends EventType = EventType> = {
  [K in T]: { type: K } & EventScope & PayloadField<EventPayload<K>> & AudienceField<K>;
}[T];

/** What `within(tx)` needs of a transaction: a raw statement, for the outbox insert. */
export type OutboxTransaction = { $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> };

/** Publishes into a transaction's outbox: the event exists only if the transaction commits. */
export interface TransactionalPublisher {
  publish(event: DomainEvent): Promise<void>;
}

/**
 * How a subgraph publishes, always together with the write the event is about (there is no
 * publishing on its own): about a Postgres write, `within(tx).publish(event)` inside the write's
 * transaction; about a MongoDB document, `pending(event)` stored by the document's own update.
 * The relay moves both to the stream after the write (see `outbox.ts`).
 */
/** A transactional publisher that holds its events until `flush()` writes them in one statement. */
export interface BatchedPublisher extends TransactionalPublisher {
  /** Writes the held events to the outbox (call it before the transaction ends; events not flushed are lost with it). */
  flush(): Promise<void>;
}

export interface EventPublisher {
  /** A publisher writing to the transactional outbox of `tx`; the relay publishes after commit. */
  within(tx: OutboxTransaction): TransactionalPublisher;
  /** As `within`, but one INSERT for all events at `flush()`: for a write that publishes hundreds (a provider sync's course). */
  batched(tx: OutboxTransaction): BatchedPublisher;
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

export function createEventPublisher(source: string, relayNow: () => Promise<void> = async () => {}): EventPublisher {
  return {
    within: (tx) => ({
      async publish(event) {
        await enqueueEvent(tx, JSON.stringify(envelope(event, source)));
        // The commit follows shortly; nudge the relay then (its poll is the safety net).
        setTimeout(() => void relayNow(), 5).unref();
      },
    }),
    batched: (tx) => {
      const held: string[] = [];
      return {
        async publish(event) {
          held.push(JSON.stringify(envelope(event, source)));
        },
        async flush() {
          const bodies = held.splice(0);
          if (!bodies.length) return;
          await enqueueEvents(tx, bodies);
          setTimeout(() => void relayNow(), 5).unref();
        },
      };
    },
    pending: (event) => ({ id: randomUUID(), at: new Date(), event: envelope(event, source) }),
    relayNow: () =>
      new Promise<void>((resolve) => {
        setTimeout(resolve, RELAY_WAIT_MS).unref();
        void relayNow().then(resolve);
      }),
  };
}
