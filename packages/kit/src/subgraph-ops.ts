import { readdirSync } from 'node:fs';
import type pg from 'pg';
import { withScope, type ScopableClient } from './db.ts';
import type { ReadinessCheck } from './health.ts';
import { scrapedGauge } from './metrics.ts';
import type { MongoConnection } from './mongo.ts';
import type { Redis } from './redis.ts';

interface RawClient {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

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

/** A subgraph's own gauges on `/metrics`: its connection pool and its Postgres outbox's backlog. */
export function subgraphMetrics(subgraph: string, pool: pg.Pool, prisma: ScopableClient<RawClient>): void {
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
    'Committed events waiting in the Postgres outbox for the relay (pending) and the age of the oldest in seconds (lag_seconds).',
    ['subgraph', 'measure'],
    async () => {
      const [row] = await withScope(prisma, 'service', (tx) =>
        tx.$queryRawUnsafe<{ pending: bigint; lag: number | null }[]>(
          'SELECT count(*) AS pending, extract(epoch FROM now() - min(created_at))::float8 AS lag FROM outbox_events',
        ),
      );
      return [
        { labels: { subgraph, measure: 'pending' }, value: Number(row?.pending ?? 0) },
        { labels: { subgraph, measure: 'lag_seconds' }, value: row?.lag ?? 0 },
      ];
    },
  );
}
