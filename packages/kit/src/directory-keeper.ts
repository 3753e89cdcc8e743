import type { Redis } from 'ioredis';
import type { BackgroundWorker } from './jobs.ts';
import type { Logger } from './logger.ts';

// The permission directory and the facility flags live only in Redis. Redis restarted empty (or
// flushed) used to leave every request FORBIDDEN until identity restarted. Now a reader that finds
// a directory missing asks for it on this channel, identity republishes at once, and identity also
// checks every few seconds in case nobody asked.

export const REPUBLISH_CHANNEL = 'pathway:directories:republish';
const CHECK_EVERY_MS = 5_000;
/** A reader asks at most this often, however many requests find the directory missing. */
const ASK_EVERY_MS = 1_000;
const lastAsked = new WeakMap<Redis, number>();

/** Ask identity to republish the directories (throttled per connection). */
export async function askForRepublish(redis: Redis): Promise<void> {
  const now = Date.now();
  if (now - (lastAsked.get(redis) ?? 0) < ASK_EVERY_MS) return;
  lastAsked.set(redis, now);
  await redis.publish(REPUBLISH_CHANNEL, String(now)).catch(() => undefined);
}

/** Polls `read` until it gives a value or `waitMs` passes (the republish takes a few milliseconds). */
export async function waitFor<T>(read: () => Promise<T | null>, waitMs: number): Promise<T | null> {
  const until = Date.now() + waitMs;
  for (;;) {
    const value = await read();
    if (value !== null || Date.now() >= until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface DirectoryKeeperOptions {
  /** Its own connection: Redis puts it in subscriber mode. */
  subscriber: Redis;
  redis: Redis;
  /** Whether every directory is in Redis right now. */
  isPublished(redis: Redis): Promise<boolean>;
  /** Writes every directory from the database. */
  republish(): Promise<void>;
  log: Logger;
}

/** Identity's side: republishes when asked and when its own check finds a directory gone. */
export class DirectoryKeeper implements BackgroundWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly opts: DirectoryKeeperOptions) {}

  async start(): Promise<void> {
    await this.opts.subscriber.subscribe(REPUBLISH_CHANNEL);
    this.opts.subscriber.on('message', (channel) => {
      if (channel === REPUBLISH_CHANNEL) void this.restoreIfMissing('asked by a reader');
    });
    this.timer = setInterval(() => void this.restoreIfMissing('periodic check'), CHECK_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.opts.subscriber.quit().catch(() => undefined);
  }

  /** One restore at a time; a request arriving meanwhile is answered by the one running. */
  private restoreIfMissing(reason: string): Promise<void> {
    this.running ??= (async () => {
      try {
        if (await this.opts.isPublished(this.opts.redis)) return;
        await this.opts.republish();
        this.opts.log.warn({ reason }, 'permission directory or facility flags were missing in Redis; republished');
      } catch (error) {
        this.opts.log.error({ err: error }, 'could not republish the permission directory');
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}
