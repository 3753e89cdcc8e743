import type { Db, Filter } from 'mongodb';
import type { PendingEvents } from './outbox.ts';

/**
 * MongoDB has no transaction spanning a document and an outbox collection here (mongo-wire, like a
 * standalone mongod, has none), but a single-document update is atomic. So an event about a document
 * waits on that document: pushed onto its `pendingEvents` by the same update as the change, it exists
 * only if the change does, and the relay publishes it and then pulls it.
 */

/** An event waiting on the document it is about. Never part of what the API returns. */
export interface PendingEvent {
  /** Unique per event: the relay's publish-once guard. */
  id: string;
  /** When it was written: the relay takes the oldest first. */
  at: Date;
  /** The stream envelope (see kit/events). */
  event: Record<string, unknown>;
}

type DocumentWithPendingEvents = { _id: unknown; pendingEvents: PendingEvent[] };

// Matches exactly the documents with at least one pending event, and is served by the sparse index below.
const HAS_PENDING = { 'pendingEvents.at': { $exists: true } };

/**
 * The pending events of one collection of the subgraph's Mongo database, for the relay. Several
 * relays may take the same document: the publish-once guard keeps each event on the stream once,
 * and pulling an event already pulled changes nothing.
 */
export function documentOutbox(db: Db, collectionName: string): PendingEvents & { ensureIndex(): Promise<void> } {
  const collection = db.collection<DocumentWithPendingEvents>(collectionName);
  return {
    name: `mongo:${collectionName}`,
    async backlog() {
      const [row] = await collection
        .aggregate<{ pending: number; oldest: Date | null }>([
          { $match: HAS_PENDING },
          { $project: { count: { $size: '$pendingEvents' }, oldest: { $min: '$pendingEvents.at' } } },
          { $group: { _id: null, pending: { $sum: '$count' }, oldest: { $min: '$oldest' } } },
        ])
        .toArray();
      return { pending: row?.pending ?? 0, oldestAt: row?.oldest ?? null };
    },
    async ensureIndex() {
      await collection.createIndexes([{ key: { 'pendingEvents.at': 1 }, name: 'pending_events', sparse: true }]);
    },
    async relayBatch(publish, limit) {
      // An array sorts by its smallest value: documents holding the oldest pending events come first.
      const docs = await collection
        .find(HAS_PENDING, { projection: { pendingEvents: 1 } })
        .sort({ 'pendingEvents.at': 1 })
        .limit(limit)
        .toArray();
      for (const { docId, entry } of inWriteOrder(docs)) {
        await publish(`${collectionName}:${entry.id}`, JSON.stringify(entry.event));
        await collection.updateOne({ _id: docId } as Filter<DocumentWithPendingEvents>, { $pull: { pendingEvents: { id: entry.id } } });
      }
      return docs.length;
    },
  };
}

/**
 * The documents' events oldest first, each document's in the order they were pushed (which is the
 * order of its changes, whatever the writers' clocks say).
 */
function inWriteOrder(docs: DocumentWithPendingEvents[]): { docId: unknown; entry: PendingEvent }[] {
  const queues = docs.map((doc) => ({ docId: doc._id, entries: [...doc.pendingEvents] }));
  const out: { docId: unknown; entry: PendingEvent }[] = [];
  for (;;) {
    let next: (typeof queues)[number] | undefined;
    for (const queue of queues) if (queue.entries.length && (!next || queue.entries[0]!.at < next.entries[0]!.at)) next = queue;
    if (!next) return out;
    out.push({ docId: next.docId, entry: next.entries.shift()! });
  }
}
