import { readdirSync } from 'node:fs';
import type pg from 'pg';
import type { PendingEvents } from './outbox.ts';
import { streamGroupBacklogs } from './stream.ts';
import type { ReadinessCheck } from './health.ts';
import { scrapedGauge } from './metrics.ts';
import type { MongoConnection } from './mongo.ts';
import type { Redis } from './redis.ts';

/** The migrations the code expects: the folders of `prisma/<subgraph>/migrations` (read once). */
function expectedMigrations(subgraph: string): string[] {
  const dir = new URL(`../../../prisma/${subgraph}/migrations`, import.meta.url);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * What a subgraph's `/readyz` checks: Postgres answers, every migration this code ships is applied
 * (a pod of a newer release waits for the migration Job), Redis and Mongo answer.
 */
export function subgraphReadiness(
  subgraph: string,
  prisma: { $queryRawUnsafe(query: string): Promise<unknown> },
  redis: Redis,
  mongo: MongoConnection,
): ReadinessCheck[] {
  const expected = expectedMigrations(subgraph);
  return [
    { name: 'postgres', check: async () => void (await prisma.$queryRawUnsafe('SELECT 1')) },
    {
      name: 'migrations',
      check: async () => {
        const rows = (await prisma.$queryRawUnsafe(
          `SELECT migration_name AS name FROM "${subgraph}"._prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        )) as { name: string }[];
        const applied = new Set(rows.map((row) => row.name));
        const missing = expected.filter((name) => !applied.has(name));
        if (missing.length) throw new Error(`${missing.length} migration(s) not applied, first ${missing[0]}`);
      },
    },
    {
      name: 'redis',
      check: async () => {
        if ((await redis.ping()) !== 'PONG') throw new Error('Redis did not answer PONG');
      },
    },
    { name: 'mongo', check: async () => void (await mongo.db.command({ ping: 1 })) },
  ];
}

/**
 * A subgraph's own gauges on `/metrics`: its connection pool, the backlog of each of its outboxes
 * (Postgres, and the MongoDB collections whose documents carry their events) and of the event-stream
 * consumer groups it reads through.
 */
export function subgraphMetrics(subgraph: string, pool: pg.Pool, outboxes: readonly PendingEvents[]): void {
  scrapedGauge(
    'pathway_db_pool_connections',
    'Postgres connections of this process by state (waiting: requests queued for one).',
    ['state'],
    async () => [
      { labels: { state: 'total' }, value: pool.totalCount },
      { labels: { state: 'idle' }, value: pool.idleCount },
      { labels: { state: 'in_use' }, value: pool.totalCount - pool.idleCount },
      { labels: { state: 'waiting' }, value: pool.waitingCount },
    ],
  );
  scrapedGauge(
    'pathway_outbox_events',
    'Committed events waiting in an outbox for the relay (pending) and the age of the oldest in seconds (lag_seconds); outbox: postgres or mongo:<collection>.',
    ['subgraph', 'outbox', 'measure'],
    async () => {
      const now = Date.now();
      const values = [];
      for (const outbox of outboxes) {
        const { pending, oldestAt } = await outbox.backlog();
        values.push(
          { labels: { subgraph, outbox: outbox.name, measure: 'pending' }, value: pending },
          {
            labels: { subgraph, outbox: outbox.name, measure: 'lag_seconds' },
            value: oldestAt ? Math.max(0, now - oldestAt.getTime()) / 1000 : 0,
          },
        );
      }
      return values;
    },
  );
  scrapedGauge(
    'pathway_stream_group_entries',
    "Event-stream entries of this subgraph's consumer groups: not yet read by any member (undelivered), read but not acknowledged (pending).",
    ['group', 'state'],
    async () =>
      (await streamGroupBacklogs()).flatMap(({ group, undelivered, pending }) => [
        { labels: { group, state: 'undelivered' }, value: undelivered },
        { labels: { group, state: 'pending' }, value: pending },
      ]),
  );
  scrapedGauge(
    'pathway_stream_group_lag_seconds',
    "How long the oldest entry no member of this subgraph's consumer group has read yet has been on the stream (0: caught up).",
    ['group'],
    async () => (await streamGroupBacklogs()).map(({ group, lagSeconds }) => ({ labels: { group }, value: lagSeconds })),
  );
}
