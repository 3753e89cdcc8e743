import type { Redis } from 'ioredis';
import { withScope, type ScopableClient } from './db.ts';
import { EVENT_STREAM, STREAM_MAX_LENGTH } from './events.ts';
import type { Logger } from './logger.ts';

interface RawClient {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

/** Writes an event to the subgraph's outbox inside the caller's transaction: it exists only if that commits. */
export async function enqueueEvent(tx: Pick<RawClient, '$executeRawUnsafe'>, body: string): Promise<void> {
  await tx.$executeRawUnsafe('INSERT INTO outbox_events (event) VALUES ($1::jsonb)', body);
}

const BATCH = 100;
const POLL_MS = 200;
/** Remembers relayed outbox ids long enough that a relay crashing after XADD but before its commit never publishes twice. */
const PUBLISHED_TTL_SECONDS = 7 * 86_400;
// XADD only if this outbox row was never published (SET NX as the guard, in one atomic script).
const PUBLISH_ONCE = `if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[2]) then return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'event', ARGV[1]) end return false`;

/**
 * Moves committed outbox rows to the Redis event stream, oldest first, each exactly once. Several
 * instances of one subgraph may run: rows are claimed with SKIP LOCKED. A crash between commit and
 * publish loses nothing: the rows stay until a relay has published them.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly prisma: ScopableClient<RawClient>,
    private readonly redis: Redis,
    private readonly source: string,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.draining;
  }

  /** Drain now (e.g. right after a commit that enqueued events); the poll catches anything missed. */
  kick(): void {
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((error: unknown) => this.log.warn({ err: error }, 'outbox relay failed; retrying'))
      .finally(() => {
        this.draining = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async drain(): Promise<void> {
    while ((await this.moveBatch()) === BATCH);
  }

  private moveBatch(): Promise<number> {
    return withScope(this.prisma, 'service', async (tx) => {
      const rows = await tx.$queryRawUnsafe<{ id: bigint; event: unknown }[]>(`SELECT id, event FROM outbox_events ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`);
      for (const row of rows) {
        await this.redis.eval(PUBLISH_ONCE, 2, `pathway:outbox:${this.source}:${row.id}`, EVENT_STREAM, JSON.stringify(row.event), PUBLISHED_TTL_SECONDS, STREAM_MAX_LENGTH);
      }
      if (rows.length) await tx.$executeRawUnsafe('DELETE FROM outbox_events WHERE id = ANY($1::bigint[])', rows.map((r) => r.id.toString()));
      return rows.length;
    });
  }
}
