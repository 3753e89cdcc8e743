import type { Redis } from 'ioredis';
import { isEventType } from './event-catalog.ts';
import type { DomainEvent } from './events.ts';

/**
 * The Redis stream every subgraph's domain events go through: its name, the envelope an entry
 * holds, appending and parsing, and the two ways of reading it (every reader the whole stream, or
 * a consumer group sharing it out). Writers: the outbox relay. Readers: the gateway's event hub,
 * identity's webhook dispatcher.
 */

export const EVENT_STREAM = 'pathway:events';
/** The most unread entries `backlog()` counts one by one when Redis cannot say (a trimmed stream). */
const UNDELIVERED_COUNT_CAP = 10_000;
/** Bounded so Redis memory stays flat; retention beyond this belongs to the subscription layer. */
export const STREAM_MAX_LENGTH = 100_000;

/** What one stream entry's `event` field holds: the event, who published it and when. */
export type EventEnvelope = DomainEvent & { source: string; occurredAt: string };

/** A domain event as read back from the stream; `cursor` is its stream id (monotonic, so it orders events). */
export type StreamEvent = EventEnvelope & { cursor: string };

/** A raw stream entry: its id and its field/value list (null for an entry deleted while pending). */
export type StreamEntry = [id: string, fields: string[] | null];

export function envelope(event: DomainEvent, source: string): EventEnvelope {
  return { ...event, source, occurredAt: new Date().toISOString() };
}

// XADD only if the guard key was never set (SET NX as the guard, in one atomic script).
const APPEND_ONCE = `if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[2]) then return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'event', ARGV[1]) end return false`;

/**
 * Appends a serialized envelope to the stream unless `guardKey` names an append made before (within
 * `guardTtlSeconds`), so a writer retrying after a crash never appends an event twice.
 */
export async function appendOnce(redis: Redis, guardKey: string, body: string, guardTtlSeconds: number): Promise<void> {
  await redis.eval(APPEND_ONCE, 2, guardKey, EVENT_STREAM, body, guardTtlSeconds, STREAM_MAX_LENGTH);
}

/**
 * One stream entry's `event` field as an event; null for an entry that holds no readable event or
 * one of a type the catalog does not know (nothing downstream could deliver it).
 */
export function parseStreamEntry(id: string, fields: string[] | null): StreamEvent | null {
  const index = fields?.indexOf('event') ?? -1;
  if (!fields || index < 0) return null;
  try {
    const event = JSON.parse(fields[index + 1]!) as EventEnvelope;
    return event && isEventType(event.type) ? { ...event, cursor: id } : null;
  } catch {
    return null;
  }
}

/** Orders stream ids ("<ms>-<seq>") numerically. */
export function compareCursors(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bMs, bSeq] = b.split('-').map(BigInt) as [bigint, bigint];
  return aMs === bMs ? Number(aSeq - bSeq) : aMs < bMs ? -1 : 1;
}

/** How long one blocking read waits before looping (also how fast `stop` takes effect). */
const BLOCK_MS = 2_000;
/** Pause after a failed read (Redis down, reconnecting) before the next. */
const RETRY_MS = 500;

/** A reader loop over the stream; `stop` ends it (and disconnects its blocking connection). */
export interface StreamReader {
  stop(): Promise<void>;
}

type ReadOnce = () => Promise<void>;

/** Runs `read` until stopped; a failed read goes to `onError`, and reading resumes after a pause (ioredis reconnects meanwhile). */
function readerLoop(blocking: Redis, read: ReadOnce, onError: (error: unknown) => Promise<void> | void): StreamReader {
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        await read();
      } catch (error) {
        if (!running) return;
        await onError(error);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  })();
  return {
    async stop() {
      running = false;
      blocking.disconnect();
      await loop.catch(() => {});
    },
  };
}

/** The id of the newest entry, or `0-0` for an empty stream: where a reader of events "from now on" starts. */
export async function lastStreamId(redis: Redis): Promise<string> {
  const [last] = (await redis.xrevrange(EVENT_STREAM, '+', '-', 'COUNT', 1)) as StreamEntry[];
  return last?.[0] ?? '0-0';
}

/**
 * Reads every entry after `after`, in order, as it arrives (XREAD BLOCK), handing each to `onEntry`
 * (awaited, so entries are handled one at a time). `blocking` must be a connection of its own:
 * XREAD BLOCK holds it.
 */
export function tailStream(
  blocking: Redis,
  after: string,
  onEntry: (entry: StreamEntry) => Promise<void>,
  onError: (error: unknown) => void,
): StreamReader {
  let lastId = after;
  return readerLoop(
    blocking,
    async () => {
      const result = (await blocking.xread('BLOCK', BLOCK_MS, 'STREAMS', EVENT_STREAM, lastId)) as [string, StreamEntry[]][] | null;
      for (const [, entries] of result ?? []) {
        for (const entry of entries) {
          lastId = entry[0];
          await onEntry(entry);
        }
      }
    },
    onError,
  );
}

export interface StreamGroupOptions {
  group: string;
  /** This process's name in the group. */
  consumer: string;
  /** At most this many entries per read. */
  batch: number;
  /** Handles one entry; it is acknowledged only if this resolves (otherwise it stays pending and is reclaimed later). */
  onEntry(entry: StreamEntry): Promise<void>;
  /** Runs before each read (e.g. periodic maintenance); a failure counts as a failed read. */
  beforeRead?(): Promise<void>;
  onError(error: unknown): void;
}

export interface StreamGroupBacklog {
  group: string;
  /** Entries no member has read yet (counted one by one, up to a cap, when Redis cannot say after a trim). */
  undelivered: number;
  /** Entries read by a member but not acknowledged. */
  pending: number;
  /** Age of the oldest entry not read yet, in seconds (0: caught up). */
  lagSeconds: number;
}

/** The consumer groups this process is reading through, for `/metrics`. */
const readingGroups = new Set<StreamGroup>();

/** The backlog of every consumer group this process reads through (read when Prometheus scrapes). */
export function streamGroupBacklogs(): Promise<StreamGroupBacklog[]> {
  return Promise.all([...readingGroups].map((group) => group.backlog()));
}

/** A Redis field/value reply (`[name, value, …]`) as an object. */
function fieldsOf(reply: unknown[]): Record<string, unknown> {
  return Object.fromEntries(reply.flatMap((v, i) => (i % 2 ? [] : [[String(v), reply[i + 1]]])));
}

/** The milliseconds part of a stream id. */
export function streamIdMs(id: string): number {
  return Number(id.split('-')[0]);
}

/**
 * Reads the stream through a consumer group: each entry goes to one member, and is acknowledged
 * once handled. The group is created at `$` on first start (its members begin with the entries
 * after it; later starts keep its position), and again if the stream vanished (Redis emptied).
 * `blocking` must be a connection of its own: XREADGROUP BLOCK holds it.
 */
export class StreamGroup {
  constructor(
    private readonly redis: Redis,
    private readonly options: StreamGroupOptions,
  ) {}

  async start(blocking: Redis): Promise<StreamReader> {
    await this.ensure();
    const { group, consumer, batch, beforeRead, onError } = this.options;
    readingGroups.add(this);
    const reader = readerLoop(
      blocking,
      async () => {
        await beforeRead?.();
        const result = (await blocking.xreadgroup(
          'GROUP',
          group,
          consumer,
          'COUNT',
          batch,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          EVENT_STREAM,
          '>',
        )) as [string, StreamEntry[]][] | null;
        for (const [, entries] of result ?? []) for (const entry of entries) await this.handle(entry);
      },
      async (error) => {
        onError(error);
        // The stream (and with it the group) is gone, e.g. Redis was emptied: start again from now.
        if (error instanceof Error && error.message.includes('NOGROUP')) await this.ensure().catch(() => {});
      },
    );
    return {
      stop: async () => {
        readingGroups.delete(this);
        await reader.stop();
      },
    };
  }

  /** How far the group is behind the stream (XINFO GROUPS, and the first entry after the last one read). */
  async backlog(): Promise<StreamGroupBacklog> {
    const { group } = this.options;
    const groups = ((await this.redis.xinfo('GROUPS', EVENT_STREAM)) as unknown[][]).map(fieldsOf);
    const info = groups.find((g) => g.name === group);
    if (!info) throw new Error(`consumer group ${group} does not exist`);
    const after = `(${String(info['last-delivered-id'])}`;
    const [next] = (await this.redis.xrange(EVENT_STREAM, after, '+', 'COUNT', 1)) as StreamEntry[];
    // Redis leaves `lag` null once the stream was trimmed (STREAM_MAX_LENGTH): then count the unread entries, up to a cap.
    const undelivered =
      typeof info.lag === 'number'
        ? info.lag
        : ((await this.redis.xrange(EVENT_STREAM, after, '+', 'COUNT', UNDELIVERED_COUNT_CAP)) as StreamEntry[]).length;
    return {
      group,
      undelivered,
      pending: Number(info.pending),
      lagSeconds: next ? Math.max(0, Date.now() - streamIdMs(next[0])) / 1000 : 0,
    };
  }

  /** Takes over, and handles, the entries other members read but left unacknowledged for `idleMs`. */
  async claimIdle(idleMs: number): Promise<void> {
    const { group, consumer, batch } = this.options;
    let cursor = '0-0';
    do {
      const [next, entries] = (await this.redis.xautoclaim(EVENT_STREAM, group, consumer, idleMs, cursor, 'COUNT', batch)) as [
        string,
        StreamEntry[],
      ];
      for (const entry of entries) await this.handle(entry);
      cursor = next;
    } while (cursor !== '0-0');
  }

  /** Every process start joins as a new member: forget those idle for `idleMs` with nothing pending, so the group stays small. */
  async forgetIdleConsumers(idleMs: number): Promise<void> {
    const { group, consumer } = this.options;
    const consumers = (await this.redis.xinfo('CONSUMERS', EVENT_STREAM, group)) as unknown[][];
    for (const fields of consumers) {
      const info = fieldsOf(fields);
      if (info.name !== consumer && info.pending === 0 && Number(info.idle) > idleMs)
        await this.redis.xgroup('DELCONSUMER', EVENT_STREAM, group, String(info.name));
    }
  }

  private async ensure(): Promise<void> {
    await this.redis.xgroup('CREATE', EVENT_STREAM, this.options.group, '$', 'MKSTREAM').catch((error: Error) => {
      if (!error.message.includes('BUSYGROUP')) throw error;
    });
  }

  private async handle(entry: StreamEntry): Promise<void> {
    await this.options.onEntry(entry);
    await this.redis.xack(EVENT_STREAM, this.options.group, entry[0]);
  }
}
