import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { z } from 'zod';
import type { Identity } from './identity.ts';
import { reachOf } from './scope.ts';
import { inSpan } from './tracing.ts';

/**
 * How much of the database one subgraph process may hold, and for how long a transaction waits and
 * runs (README, "Database connections and transactions", says how they were chosen). Past either
 * limit the work is abandoned (rolled back) and the client told SERVICE_UNAVAILABLE, to retry.
 */
export const databaseEnv = {
  /** Connections per subgraph process. Five subgraphs at 10 hold at most 50 of Postgres's default 100. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).default(10),
  /** How long a transaction (or query) waits for a free connection, in ms. */
  DATABASE_TX_MAX_WAIT_MS: z.coerce.number().int().min(1).default(10_000),
  /** How long an interactive transaction may run, lock waits included, before it is rolled back, in ms. */
  DATABASE_TX_TIMEOUT_MS: z.coerce.number().int().min(1).default(15_000),
};
export type DatabaseLimits = z.infer<z.ZodObject<typeof databaseEnv>>;
const DEFAULT_LIMITS: DatabaseLimits = z.object(databaseEnv).parse({});

/** Prisma's default options for interactive transactions (`new PrismaClient({ adapter, transactionOptions })`). */
export function transactionOptions(limits: DatabaseLimits = DEFAULT_LIMITS): { maxWait: number; timeout: number } {
  return { maxWait: limits.DATABASE_TX_MAX_WAIT_MS, timeout: limits.DATABASE_TX_TIMEOUT_MS };
}

/**
 * A Prisma driver adapter bound to one subgraph's Postgres schema: every subgraph lives in its own
 * schema of one database, so both the search_path and Prisma's schema name are pinned. The pool
 * waits for a free connection no longer than a transaction would (Prisma only checks its `maxWait`
 * once a connection came), so a saturated pool answers in bounded time.
 */
export function pgAdapter(
  url: string,
  schema: string,
  poolSize = DEFAULT_LIMITS.DATABASE_POOL_SIZE,
  connectionWaitMs = DEFAULT_LIMITS.DATABASE_TX_MAX_WAIT_MS,
): PrismaPg {
  return new PrismaPg(pgPoolConfig(url, schema, poolSize, connectionWaitMs), { schema });
}

function pgPoolConfig(url: string, schema: string, poolSize: number, connectionWaitMs: number): pg.PoolConfig {
  return { connectionString: url, options: `-c search_path=${schema}`, max: poolSize, connectionTimeoutMillis: connectionWaitMs };
}

/** `pgAdapter` over a pool the caller holds too: a subgraph reads its pool's use for `/metrics`. */
export function pooledPgAdapter(
  url: string,
  schema: string,
  poolSize = DEFAULT_LIMITS.DATABASE_POOL_SIZE,
  connectionWaitMs = DEFAULT_LIMITS.DATABASE_TX_MAX_WAIT_MS,
): { adapter: PrismaPg; pool: pg.Pool } {
  const pool = new pg.Pool(pgPoolConfig(url, schema, poolSize, connectionWaitMs));
  return { adapter: new PrismaPg(pool, { schema, disposeExternalPool: true }), pool };
}

/** What scoped work needs from a Prisma client: interactive transactions and raw statements. */
export interface ScopableClient<Tx> {
  $transaction<R>(fn: (tx: Tx) => Promise<R>, options?: { timeout?: number; isolationLevel?: never }): Promise<R>;
}
interface RawCapable {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/**
 * Who the database should think is asking: a verified identity; the service itself (login, startup,
 * jobs: every tenant); or nobody (no tenant-scoped row is visible).
 */
export type DbActor = Identity | 'service' | 'anonymous';

/**
 * More `app.*` settings a subgraph's own policies read (e.g. behavior's `app.user_id` for "students
 * access own data"), set in the same statement as the scope, so they cost no extra round trip.
 */
export type ScopeSettings = Record<string, string>;

/**
 * Runs `fn` in one transaction with the Row-Level Security settings for `actor`. The policies in
 * each migration read `app.tenant_id` and `app.reach` (and any `settings`); `set_config(..., true)`
 * keeps them local to this transaction, so a pooled connection never carries one request's scope
 * into another.
 */
export function withScope<Tx extends RawCapable, R>(
  client: ScopableClient<Tx>,
  actor: DbActor,
  fn: (tx: Tx) => Promise<R>,
  settings: ScopeSettings = {},
): Promise<R> {
  const reach = typeof actor === 'string' ? actor : reachOf(actor);
  const tenantId = typeof actor === 'string' ? '' : actor.tenantId;
  const names = Object.keys(settings);
  // The names go into the statement's text (values are parameters): only plain `app.*` names.
  for (const name of names) if (!/^app\.[a-z_]+$/.test(name)) throw new Error(`withScope: setting name ${name} is not app.<lowercase>`);
  const extra = names.map((name, i) => `, set_config('${name}', $${i + 3}, true)`).join('');
  const values = names.map((name) => settings[name]);
  // One span per scoped transaction: a trace shows the request's database work (kit tracing.ts).
  return inSpan('postgres transaction', { 'db.system.name': 'postgresql' }, () =>
    client.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(
        `SELECT set_config('app.tenant_id', $1, true), set_config('app.reach', $2, true)${extra}`,
        tenantId,
        reach,
        ...values,
      );
      return fn(tx);
    }),
  );
}

/** A subgraph's database as one request sees it: every `run` is a transaction under that request's scope. */
export interface ScopedDb<Tx> {
  run<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
}

export function scopedDb<Tx extends RawCapable>(client: ScopableClient<Tx>, actor: DbActor, settings: ScopeSettings = {}): ScopedDb<Tx> {
  return { run: (fn) => withScope(client, actor, fn, settings) };
}
