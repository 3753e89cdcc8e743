import type { Log } from './util.ts';

export type { Log };

export type PostgresSource = 'env' | 'embedded';
export type RedisSource = 'env' | 'embedded';
export type MongoSource = 'env' | 'mongodb-memory-server' | 'mongo-wire';

export interface ResolvedService<S extends string> {
  /** Connection URL. May contain a password: redact it before printing (see `redact`). */
  url: string;
  /** Where the service came from. */
  source: S;
  /** Stops what this call started. No-op for `env` (and for a cluster this process merely attached to). Idempotent. */
  stop(): Promise<void>;
}

export type ResolvedPostgres = ResolvedService<PostgresSource>;
export type ResolvedRedis = ResolvedService<RedisSource>;
export type ResolvedMongo = ResolvedService<MongoSource>;
