import type { Redis } from 'ioredis';
import { withScope, type ScopableClient } from './db.ts';
import { appendOnce } from './stream.ts';
import type { Logger } from './logger.ts';

interface RawClient {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

/**
 * Writes an event to the subgraph's outbox inside the caller's transaction: it exists only if that
 * commits. The row carries the event's tenant, for Row-Level Security (the caller's scope must cover it).
 */
export async function enqueueEvent(tx: Pick<RawClient, '$executeRawUnsafe'>, body: string): Promise<void> {
  await tx.$executeRawUnsafe(`INSERT INTO outbox_events (tenant_id, event) VALUES (($1::jsonb ->> 'tenantId')::uuid, $1::jsonb)`, body);
}

/** Several events in one statement, in the given order (the outbox id follows the array's order). */
export async function enqueueEvents(tx: Pick<RawClient, '$executeRawUnsafe'>, bodies: string[]): Promise<void> {
  if (!bodies.length) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO outbox_events (tenant_id, event)
     SELECT (e.value ->> 'tenantId')::uuid, e.value FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(value, n) ORDER BY e.n`,
    `[${bodies.join(',')}]`,
  );
}

/**
 * Appends an event body to the stream unless the event named `guardId` (unique within the
 * subgraph) was appended before; resolves either way.
 */
export type PublishOnce = (guardId: string, body: string) => Promise<void>;

/**
 * One place where committed events wait for the relay: the Postgres outbox table, or events kept
 * on the MongoDB documents they are about (`document-outbox.ts`).
 */
export interface PendingEvents {
  /** Where the events wait, for `/metrics`: `postgres`, or the MongoDB collection (`mongo:<name>`). */
  readonly name: string;
  /** Publishes up to `limit` of the oldest waiting events, in order, through `publish`, then forgets them; returns how many it took. */
  relayBatch(publish: PublishOnce, limit: number): Promise<number>;
  /** How many events wait, and when the oldest was written (null: none). */
  backlog(): Promise<OutboxBacklog>;
}

export interface OutboxBacklog {
  pending: number;
  oldestAt: Date | null;
}

const BATCH = 100;
/** The poll's interval while events keep coming, and right after a local write. */
const POLL_MS = 200;
/**
 * The longest an idle relay waits between polls. Each empty poll doubles the wait up to this, so an
 * idle subgraph sends about one outbox poll (four statements) per few seconds instead of five per
 * second. A local write wakes the relay at once (`kick`); only events another process committed
 * (another instance of the subgraph, a crashed one, a restore) wait for the next poll, at most this long.
 */
export const OUTBOX_IDLE_POLL_MAX_MS = 3_200;
/** Remembers relayed event ids long enough that a relay crashing after XADD but before forgetting the event never publishes twice. */
const PUBLISHED_TTL_SECONDS = 7 * 86_400;

/**
 * Moves a subgraph's committed events to the Redis event stream, oldest first, each exactly once,
 * from each of its `PendingEvents` places. A crash between commit and publish loses nothing: the
 * events stay until a relay has published them; one crashing after publishing but before forgetting
 * an event makes the next relay skip it (the `SET NX` guard), so it is never published twice.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  /** The wait before the next poll: POLL_MS after events or a kick, doubling while polls find nothing. */
  private delay = POLL_MS;
  /** Events the last drain moved (0: it found none, or failed). */
  private moved = 0;
  private draining: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private readonly publishOnce: PublishOnce;

  constructor(
    redis: Redis,
    source: string,
    private readonly places: readonly PendingEvents[],
    private readonly log: Logger,
    private readonly idleMaxMs = OUTBOX_IDLE_POLL_MAX_MS,
  ) {
    this.publishOnce = (guardId, body) => appendOnce(redis, `pathway:outbox:${source}:${guardId}`, body, PUBLISHED_TTL_SECONDS);
  }

  start(): void {
    this.running = true;
    void this.poll();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.draining;
  }

  /** The wait until the next poll (ms). */
  get pollDelayMs(): number {
    return this.delay;
  }

  private async poll(): Promise<void> {
    this.timer = null;
    await this.kickOnly();
    if (!this.running) return;
    this.delay = this.moved > 0 ? POLL_MS : Math.min(this.delay * 2, this.idleMaxMs);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), this.delay);
    this.timer.unref();
  }

  /**
   * Drain now (e.g. right after a write that stored events) and poll briskly again for a while: a
   * drain that ran before the writer's commit finds nothing, and the next quick poll takes it.
   * Resolves once a drain that started after this call has finished (never rejects: a failure is
   * logged and the poll retries), so a caller may wait for its events to be on the stream.
   */
  kick(): Promise<void> {
    if (this.running && this.delay > POLL_MS) {
      this.delay = POLL_MS;
      this.schedule();
    }
    return this.kickOnly();
  }

  private kickOnly(): Promise<void> {
    if (!this.draining) {
      this.draining = this.drain()
        .catch((error: unknown) => {
          this.moved = 0;
          this.log.warn({ err: error }, 'outbox relay failed; retrying');
        })
        .finally(() => {
          this.draining = null;
        });
      return this.draining;
    }
    // The running drain may have looked before the caller's write: one more follows it, shared by all who ask meanwhile.
    this.queued ??= this.draining.then(() => {
      this.queued = null;
      return this.kickOnly();
    });
    return this.queued;
  }

  private async drain(): Promise<void> {
    let moved = 0;
    for (const place of this.places) {
      let taken: number;
      do moved += taken = await place.relayBatch(this.publishOnce, BATCH);
      while (taken === BATCH);
    }
    this.moved = moved;
  }
}

/**
 * The subgraph's `outbox_events` table. Several instances of one subgraph may relay it: rows are
 * claimed with SKIP LOCKED and deleted in the claiming transaction.
 */
export function postgresOutbox(prisma: ScopableClient<RawClient>): PendingEvents {
  return {
    name: 'postgres',
    async backlog() {
      const [row] = await withScope(prisma, 'service', (tx) =>
        tx.$queryRawUnsafe<{ pending: bigint; oldest: Date | null }[]>(
          'SELECT count(*) AS pending, min(created_at) AS oldest FROM outbox_events',
        ),
      );
      return { pending: Number(row?.pending ?? 0), oldestAt: row?.oldest ?? null };
    },
    relayBatch: (publish, limit) =>
      withScope(prisma, 'service', async (tx) => {
        const rows = await tx.$queryRawUnsafe<{ id: bigint; event: unknown; created_ms: string }[]>(
          `SELECT id, event, (extract(epoch FROM created_at) * 1000)::bigint::text AS created_ms FROM outbox_events ORDER BY id LIMIT ${Number(limit)} FOR UPDATE SKIP LOCKED`,
        );
        // Row ids start again in a recreated or restored database (every test run's is new, its Redis
        // database not): with the row's creation time the guard names this row only, never a later namesake.
        for (const row of rows) await publish(`${row.id}@${row.created_ms}`, JSON.stringify(row.event));
        if (rows.length)
          await tx.$executeRawUnsafe(
            'DELETE FROM outbox_events WHERE id = ANY($1::bigint[])',
            rows.map((r) => r.id.toString()),
          );
        return rows.length;
      }),
  };
}
