// Server-side cursors. Results are computed eagerly (everything is in memory)
// and handed out in batches; a cursor stays registered until it is exhausted,
// killed, or idle for too long. Ids are BSON Int64 (Long); 0 means "no more".
import { calculateObjectSize, Long } from 'bson';
import { ServerError } from './errors.ts';
import type { Doc } from './values.ts';

const DEFAULT_FIRST_BATCH = 101;
/** Batches stop growing past this many bytes, like mongod's 16 MiB reply limit. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  ns: string;
  docs: Doc[];
  pos: number;
  lastUsed: number;
}

export type CursorReply = {
  cursor: { firstBatch?: Doc[]; nextBatch?: Doc[]; id: Long; ns: string };
  ok: 1;
};

export class CursorRegistry {
  private readonly open = new Map<string, OpenCursor>();
  private nextId = 1_000_000 + Math.floor(Math.random() * 1_000_000);
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  /** Registers a result set and returns the find/aggregate-style first batch reply. */
  create(ns: string, docs: Doc[], opts: { batchSize?: unknown; singleBatch?: unknown } = {}): CursorReply {
    const size = typeof opts.batchSize === 'number' && opts.batchSize >= 0 ? opts.batchSize : DEFAULT_FIRST_BATCH;
    const cursor: OpenCursor = { ns, docs, pos: 0, lastUsed: Date.now() };
    const batch = takeBatch(cursor, size);
    let id = 0;
    if (cursor.pos < docs.length && opts.singleBatch !== true) {
      id = this.nextId++;
      this.open.set(String(id), cursor);
    }
    return { cursor: { firstBatch: batch, id: Long.fromNumber(id), ns }, ok: 1 };
  }

  getMore(id: unknown, ns: string, batchSize: unknown): CursorReply {
    const key = String(id);
    const cursor = this.open.get(key);
    if (!cursor) throw new ServerError('CursorNotFound', `cursor id ${key} not found`);
    if (cursor.ns !== ns) {
      throw new ServerError('BadValue', `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`);
    }
    cursor.lastUsed = Date.now();
    const size = typeof batchSize === 'number' && batchSize > 0 ? batchSize : Infinity;
    const batch = takeBatch(cursor, size);
    const done = cursor.pos >= cursor.docs.length;
    if (done) this.open.delete(key);
    return { cursor: { nextBatch: batch, id: done ? Long.fromNumber(0) : Long.fromValue(id as number), ns: cursor.ns }, ok: 1 };
  }

  kill(ids: unknown[]): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) {
      const long = Long.fromValue(id as number);
      (this.open.delete(String(id)) ? killed : notFound).push(long);
    }
    return { killed, notFound };
  }

  dispose(): void {
    clearInterval(this.sweeper);
    this.open.clear();
  }

  private sweep(): void {
    const cutoff = Date.now() - IDLE_TIMEOUT_MS;
    for (const [id, c] of this.open) if (c.lastUsed < cutoff) this.open.delete(id);
  }
}

function takeBatch(cursor: OpenCursor, max: number): Doc[] {
  const batch: Doc[] = [];
  let bytes = 0;
  while (batch.length < max && cursor.pos < cursor.docs.length) {
    const doc = cursor.docs[cursor.pos] as Doc;
    bytes += calculateObjectSize(doc, { ignoreUndefined: true });
    if (batch.length > 0 && bytes > MAX_BATCH_BYTES) break;
    batch.push(doc);
    cursor.pos++;
  }
  return batch;
}
