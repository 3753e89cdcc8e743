import {
  EVENT_STREAM,
  appError,
  compareCursors,
  lastStreamId,
  parseStreamEntry,
  tailStream,
  type Redis,
  type StreamEntry,
  type StreamEvent,
  type StreamReader,
} from '@pathway/kit';

const REPLAY_PAGE = 500;
const CURSOR = /^\d+-\d+$/;

type Listener = (event: StreamEvent) => void;

/**
 * One reader of the event stream per gateway process, fanning events out to its subscribers. Every
 * gateway reads the whole stream, so a subscriber gets every event whichever gateway it is on, and
 * a subscriber resuming `after` a cursor first gets what it missed, then live events, in order,
 * each once.
 */
export class EventHub {
  private readonly listeners = new Set<Listener>();
  private lastId = '0-0';
  private reader: StreamReader | null = null;

  /**
   * `blocking` must be a connection of its own: XREAD BLOCK holds it. `beforeDispatch` runs for each
   * event before any subscriber hears of it (the response cache invalidates there).
   */
  constructor(
    private readonly redis: Redis,
    private readonly blocking: Redis,
    private readonly onError: (error: unknown) => void,
    private readonly beforeDispatch: (event: StreamEvent) => Promise<void> = async () => {},
  ) {}

  /** The id of the last event this gateway has read from the stream (for `/metrics`: how far behind it is). */
  get position(): string {
    return this.lastId;
  }

  async start(): Promise<void> {
    this.lastId = await lastStreamId(this.redis);
    this.reader = tailStream(this.blocking, this.lastId, (entry) => this.dispatch(entry), this.onError);
  }

  async stop(): Promise<void> {
    await this.reader?.stop();
  }

  /** Events from now on, or, with `after`, every retained event after that cursor first. */
  /** BAD_USER_INPUT for a malformed cursor, CURSOR_EXPIRED when events after it were already trimmed. */
  async checkCursor(after: string | null | undefined): Promise<void> {
    if (!after) return;
    if (!CURSOR.test(after)) throw appError('BAD_USER_INPUT', 'The `after` cursor is not one this API returned.');
    await this.assertRetained(after);
  }

  /** Call `checkCursor(after)` first. Ends when `signal` aborts. */
  async *events(after?: string | null, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
    const buffered: StreamEvent[] = [];
    let wake: (() => void) | null = null;
    const listener: Listener = (event) => {
      buffered.push(event);
      wake?.();
    };
    // One abort listener for the whole subscription (one per wait would pile up on a long-lived one).
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort, { once: true });
    // Listen before replaying so nothing published meanwhile falls between the two.
    this.listeners.add(listener);
    try {
      let delivered = after ?? this.lastId;
      if (after) {
        for await (const event of this.replay(after)) {
          delivered = event.cursor;
          yield event;
        }
      }
      while (!signal?.aborted) {
        const next = buffered.shift();
        if (!next) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
          continue;
        }
        if (compareCursors(next.cursor, delivered) <= 0) continue; // already replayed
        delivered = next.cursor;
        yield next;
      }
    } finally {
      this.listeners.delete(listener);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async *replay(after: string): AsyncGenerator<StreamEvent> {
    let from = `(${after}`;
    for (;;) {
      const page = (await this.redis.xrange(EVENT_STREAM, from, '+', 'COUNT', REPLAY_PAGE)) as StreamEntry[];
      for (const entry of page) {
        const event = parseStreamEntry(...entry);
        if (event) yield event;
      }
      if (page.length < REPLAY_PAGE) return;
      from = `(${page.at(-1)![0]}`;
    }
  }

  private async assertRetained(after: string): Promise<void> {
    const info = (await this.redis.call('XINFO', 'STREAM', EVENT_STREAM).catch(() => null)) as unknown[] | null;
    if (!info) return;
    const maxDeleted = info[info.indexOf('max-deleted-entry-id') + 1];
    if (typeof maxDeleted === 'string' && compareCursors(after, maxDeleted) < 0)
      throw appError('CURSOR_EXPIRED', 'Events after that cursor are no longer retained. Subscribe again without `after`.');
  }

  private async dispatch(entry: StreamEntry): Promise<void> {
    this.lastId = entry[0];
    const event = parseStreamEntry(...entry);
    if (!event) return;
    await this.beforeDispatch(event).catch(this.onError);
    for (const listener of this.listeners) listener(event);
  }
}
