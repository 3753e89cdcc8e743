import { resolveMongo } from './mongo.ts';
import { resolvePostgres } from './postgres.ts';
import { resolveRedis } from './redis.ts';
import type { MongoSource, PostgresSource, RedisSource } from './types.ts';
import { elapsed, errorMessage, noopLog, type Log } from './util.ts';

export { resolvePostgres, postgresDataDir, type ResolvePostgresOptions } from './postgres.ts';
export { resolveRedis, type ResolveRedisOptions } from './redis.ts';
export { resolveMongo, type ResolveMongoOptions } from './mongo.ts';
export { createDatabase, dropDatabase, databaseUrl, assertDatabaseName } from './databases.ts';
export { redact, type Log } from './util.ts';
export type { MongoSource, PostgresSource, RedisSource, ResolvedMongo, ResolvedPostgres, ResolvedRedis, ResolvedService } from './types.ts';

export interface StartDevServicesOptions {
  /** Directory for persistent state (the embedded Postgres cluster lives in `<stateDir>/postgres`). */
  stateDir: string;
  log?: Log;
  /** Passed to resolveMongo (default true: try a locally available mongod before mongo-wire). */
  preferMemoryServer?: boolean;
}

export interface DevServices {
  databaseUrl: string;
  redisUrl: string;
  mongoUrl: string;
  sources: { postgres: PostgresSource; redis: RedisSource; mongo: MongoSource };
  /** Stops whatever was started (env-provided services are left alone). Idempotent. */
  stop(): Promise<void>;
}

/** Resolves PostgreSQL, Redis and MongoDB in parallel. If one fails, the others are stopped and the error is thrown. */
export async function startDevServices(opts: StartDevServicesOptions): Promise<DevServices> {
  const log = opts.log ?? noopLog;
  const t0 = performance.now();
  const results = await Promise.allSettled([
    resolvePostgres({ stateDir: opts.stateDir, log }),
    resolveRedis({ log }),
    resolveMongo({ log, ...(opts.preferMemoryServer !== undefined ? { preferMemoryServer: opts.preferMemoryServer } : {}) }),
  ] as const);

  const [pgResult, redisResult, mongoResult] = results;
  if (pgResult.status !== 'fulfilled' || redisResult.status !== 'fulfilled' || mongoResult.status !== 'fulfilled') {
    const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    await Promise.allSettled(started.map((s) => s.stop()));
    if (failures.length === 1) throw failures[0];
    throw new AggregateError(failures, `devstack: ${failures.length} services failed to start:\n${failures.map(errorMessage).join('\n')}`);
  }
  const postgres = pgResult.value;
  const redis = redisResult.value;
  const mongo = mongoResult.value;
  log(`devstack: ready in ${elapsed(t0)} (postgres: ${postgres.source}, redis: ${redis.source}, mongo: ${mongo.source})`);

  let stopping: Promise<void> | undefined;
  return {
    databaseUrl: postgres.url,
    redisUrl: redis.url,
    mongoUrl: mongo.url,
    sources: { postgres: postgres.source, redis: redis.source, mongo: mongo.source },
    stop: () =>
      (stopping ??= (async () => {
        const outcomes = await Promise.allSettled([postgres.stop(), redis.stop(), mongo.stop()]);
        const errors = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
        if (errors.length > 0) throw new AggregateError(errors, `devstack: stopping failed: ${errors.map(errorMessage).join('; ')}`);
      })()),
  };
}
