import type { PrismaPg } from '@prisma/adapter-pg';
import { z } from 'zod';
import type { Identity } from './identity.ts';
import { pooledPgAdapter, withPendingScope, type PendingScope } from './pg-pool.ts';
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
  /**
   * How the reads of a query operation are scoped: `request` shares one transaction per request,
   * `batch` gives every read (every DataLoader batch) its own, the former way, kept to measure against.
   */
  DATABASE_READ_SCOPE: z.enum(['request', 'batch']).default('request'),
};
export type DatabaseLimits = z.infer<z.ZodObject<typeof databaseEnv>>;
const DEFAULT_LIMITS: DatabaseLimits = z.object(databaseEnv).parse({});

/** Prisma's default options for interactive transactions (`new PrismaClient({ adapter, transactionOptions })`). */
export function transactionOptions(limits: DatabaseLimits = DEFAULT_LIMITS): { maxWait: number; timeout: number } {
  return { maxWait: limits.DATABASE_TX_MAX_WAIT_MS, timeout: limits.DATABASE_TX_TIMEOUT_MS };
}

/** The kit's pool under Prisma's pg adapter (pg-pool.ts), for a client that need not read the pool itself. */
export function pgAdapter(
  url: string,
  schema: string,
  poolSize = DEFAULT_LIMITS.DATABASE_POOL_SIZE,
  connectionWaitMs = DEFAULT_LIMITS.DATABASE_TX_MAX_WAIT_MS,
): PrismaPg {
  return pooledPgAdapter(url, schema, poolSize, connectionWaitMs).adapter;
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
  return scopedTransaction(client, actor, fn, settings, false);
}

/**
 * `withScope`, or with `session` a shared read's: on the kit's pool its settings go on the
 * connection's session and no transaction is opened (pg-pool.ts); elsewhere it is `withScope`'s.
 */
function scopedTransaction<Tx extends RawCapable, R>(
  client: ScopableClient<Tx>,
  actor: DbActor,
  fn: (tx: Tx) => Promise<R>,
  settings: ScopeSettings,
  session: boolean,
): Promise<R> {
  const reach = typeof actor === 'string' ? actor : reachOf(actor);
  const tenantId = typeof actor === 'string' ? '' : actor.tenantId;
  const names = Object.keys(settings);
  // The names go into the statement's text (values are parameters): only plain `app.*` names.
  for (const name of names) if (!/^app\.[a-z_]+$/.test(name)) throw new Error(`withScope: setting name ${name} is not app.<lowercase>`);
  const extra = names.map((name, i) => `, set_config('${name}', $${i + 3}, true)`).join('');
  const values = names.map((name) => settings[name]!);
  const pending: PendingScope = {
    settings: [['app.tenant_id', tenantId], ['app.reach', reach], ...names.map((name, i): [string, string] => [name, values[i]!])],
    session,
    sent: false,
  };
  // One span per scoped transaction: a trace shows the request's database work (kit tracing.ts).
  return inSpan('postgres transaction', { 'db.system.name': 'postgresql' }, () =>
    withPendingScope(pending, () =>
      client.$transaction(async (tx) => {
        // Normally the BEGIN carried the settings (pg-pool.ts); a client not on the kit's pool sets them here.
        if (!pending.sent) {
          pending.sent = true;
          await tx.$executeRawUnsafe(
            `SELECT set_config('app.tenant_id', $1, true), set_config('app.reach', $2, true)${extra}`,
            tenantId,
            reach,
            ...values,
          );
        }
        return fn(tx);
      }),
    ),
  );
}

/**
 * A subgraph's database as one request sees it, always under that request's scope. `run` is a
 * transaction of its own (writes: it commits before the resolver goes on, e.g. to publish events);
 * `read` is for work that writes nothing, and opens no transaction: its scope goes on the
 * connection's session (pg-pool.ts says how no other statement sees it). In a query operation every
 * read of the request shares one connection and one scope setting: a request costs its queries plus
 * one statement, instead of a BEGIN, a scope setting and a COMMIT for every DataLoader batch.
 */
export interface ScopedDb<Tx> {
  run<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
  read<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
}

/** The request's side of a `ScopedDb`, driven by the kit's server (server.ts) around each operation. */
export interface RequestDb<Tx> extends ScopedDb<Tx> {
  /** The operation is a query: from now on reads share the request's connection and scope. */
  shareReads(): void;
  /** The answer is ready: the shared read (if one was opened) ends and frees its connection. */
  end(): Promise<void>;
}

let sharedReadsEnabled = true;
/** The process's `DATABASE_READ_SCOPE`, for the requests made from now on (set at start; tests and benchmarks switch it). */
export function setReadScope(scope: DatabaseLimits['DATABASE_READ_SCOPE']): void {
  sharedReadsEnabled = scope === 'request';
}

interface SharedRead<Tx> {
  tx: Promise<Tx>;
  release(): void;
  /** Settles when the transaction has committed (or failed). */
  closed: Promise<unknown>;
}

export function scopedDb<Tx extends RawCapable>(client: ScopableClient<Tx>, actor: DbActor, settings: ScopeSettings = {}): RequestDb<Tx> {
  const own = <R>(fn: (tx: Tx) => Promise<R>) => withScope(client, actor, fn, settings);
  // A read needs no transaction of its own (pg-pool.ts); with DATABASE_READ_SCOPE=batch it keeps one, the former way.
  const ownRead = <R>(fn: (tx: Tx) => Promise<R>) => scopedTransaction(client, actor, fn, settings, sharedReadsEnabled);
  let sharing = false;
  let shared: SharedRead<Tx> | null = null;
  const open = (): SharedRead<Tx> => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let opened!: (tx: Tx) => void;
    let failed!: (error: unknown) => void;
    const tx = new Promise<Tx>((resolve, reject) => ((opened = resolve), (failed = reject)));
    const closed = ownRead((t) => {
      opened(t);
      return released;
    }).catch(failed);
    return { tx, release, closed };
  };
  const retire = (read: SharedRead<Tx>) => {
    if (shared === read) shared = null;
    read.release();
  };
  return {
    run: own,
    async read(fn) {
      if (!sharing) return ownRead(fn);
      const read = (shared ??= open());
      let tx: Tx;
      try {
        tx = await read.tx;
      } catch (error) {
        retire(read); // no connection in time: the next read tries again, like a transaction of its own would
        throw error;
      }
      try {
        return await fn(tx);
      } catch (error) {
        if (!isDatabaseError(error)) throw error;
        // Where the shared read is a real transaction (a client off the kit's pool), a failed
        // statement aborts it and the reads queued behind it: it is given up, and this read alone
        // tries once more on its own.
        retire(read);
        return ownRead(fn);
      }
    },
    shareReads() {
      sharing = sharedReadsEnabled;
    },
    async end() {
      sharing = false;
      const read = shared;
      if (!read) return;
      retire(read);
      await read.closed;
    },
  };
}

/** An error Prisma raised for a statement (or the transaction): the shared read may be unusable after it. */
function isDatabaseError(error: unknown): boolean {
  return error instanceof Error && error.name.startsWith('PrismaClient');
}

/** The `RequestDb` a request's context holds (`ctx.db`), if it has one: the server drives its read scope. */
export function requestDbOf(context: unknown): RequestDb<unknown> | null {
  const db = (context as { db?: Partial<RequestDb<unknown>> } | null)?.db;
  return db && typeof db.shareReads === 'function' && typeof db.end === 'function' ? (db as RequestDb<unknown>) : null;
}
