import { AsyncLocalStorage } from 'node:async_hooks';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { Counter, metrics } from './metrics.ts';

/**
 * The kit's Postgres pool under Prisma's pg adapter: every subgraph lives in its own schema of one
 * database, so both the search_path and Prisma's schema name are pinned. The pool waits for a free
 * connection no longer than a transaction would (Prisma only checks its `maxWait` once a connection
 * came), so a saturated pool answers in bounded time. Each connection is watched (`watchConnection`):
 * it counts statements and carries a scoped transaction's Row-Level Security settings.
 */
export function pooledPgAdapter(
  url: string,
  schema: string,
  poolSize: number,
  connectionWaitMs: number,
): { adapter: PrismaPg; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    options: `-c search_path=${schema}`,
    max: poolSize,
    connectionTimeoutMillis: connectionWaitMs,
  });
  pool.on('connect', watchConnection);
  // A connection back in the pool ends any shared read on it, even one Prisma left without COMMIT.
  pool.on('release', (_error: unknown, client: pg.PoolClient) => {
    const state = watched.get(client);
    if (state) state.reading = state.inTransaction = false;
  });
  return { adapter: new PrismaPg(pool, { schema, disposeExternalPool: true }), pool };
}

const dbStatements = new Counter({
  name: 'pathway_db_statements_total',
  help: 'SQL statements this process sent to Postgres (queries, BEGIN/COMMIT and scope settings alike).',
  registers: [metrics],
});

/** The settings a scoped transaction starts with, until its `BEGIN` has carried them. */
export interface PendingScope {
  settings: [name: string, value: string][];
  /**
   * A shared read (kit db.ts): the settings go on the connection's session and no transaction is
   * opened (reads under READ COMMITTED see what they would in one), so the request costs one
   * statement beyond its queries instead of two.
   */
  session: boolean;
  sent: boolean;
}
const pendingScope = new AsyncLocalStorage<PendingScope>();

/** Runs `fn` (which opens a Prisma transaction) so that the transaction's BEGIN carries `pending`. */
export function withPendingScope<R>(pending: PendingScope, fn: () => Promise<R>): Promise<R> {
  return pendingScope.run(pending, fn);
}

/** What the kit knows of one pooled connection's session. */
interface ConnectionState {
  /** `app.*` settings a shared read left on the session: cleared before anyone else's statement runs. */
  left: string[];
  /** Between a shared read's first statement and its (unsent) COMMIT: statements are the read's own. */
  reading: boolean;
  /** In a scoped transaction whose BEGIN overrode the settings left (transaction-local): its statements pass. */
  inTransaction: boolean;
  /** The settings left being cleared: every statement waits for it. */
  clearing: Promise<unknown> | null;
}
const watched = new WeakMap<pg.PoolClient, ConnectionState>();

type Send = (...args: unknown[]) => unknown;

/**
 * Every statement of a pooled connection goes through here. Prisma's pg adapter sends a transaction's
 * `BEGIN` as a plain statement without parameters, from inside `withPendingScope`'s async context:
 * - a scoped transaction's becomes `BEGIN; SELECT set_config(…, true)…`: one round trip, none of
 *   Prisma's per-statement cost (about 0.4 ms of CPU), settings local to the transaction;
 * - a shared read's becomes `SELECT set_config(…, false)…` alone, and its COMMIT is answered here
 *   without being sent. The settings then stay on the session, so the next statement on the
 *   connection that is not a scoped BEGIN first clears them: no statement runs under another
 *   request's scope, and the shared read costs one statement beyond its queries.
 */
function watchConnection(client: pg.PoolClient): void {
  const send = client.query.bind(client) as Send;
  const state: ConnectionState = { left: [], reading: false, inTransaction: false, clearing: null };
  watched.set(client, state);
  const counted: Send = (...args) => {
    dbStatements.inc();
    return send(...args);
  };
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const first = args[0] as { text?: unknown; values?: unknown[] } | string | undefined;
    const text = typeof first === 'string' ? first : first?.text;
    if (state.reading) {
      if (text !== 'COMMIT' && text !== 'ROLLBACK') return counted(...args);
      state.reading = false;
      return answeredHere(args);
    }
    if (state.inTransaction) {
      if (text === 'COMMIT' || text === 'ROLLBACK') state.inTransaction = false;
      return counted(...args);
    }
    const pending = pendingScope.getStore();
    if (pending && !pending.sent && text === 'BEGIN' && typeof first === 'object' && !first.values?.length && !state.clearing) {
      pending.sent = true;
      const own = pending.settings.map(([name]) => name);
      const cleared = state.left.filter((name) => !own.includes(name)).map((name): [string, string] => [name, '']);
      const sets = [...pending.settings, ...cleared];
      if (pending.session) {
        state.reading = true;
        state.left = own;
        return counted({ ...first, text: `SELECT ${setConfigs(client, sets, false)}` }, ...args.slice(1));
      }
      state.inTransaction = state.left.length > 0;
      return counted({ ...first, text: `BEGIN; SELECT ${setConfigs(client, sets, true)}` }, ...args.slice(1));
    }
    if (state.left.length && !state.clearing) {
      const names = state.left;
      state.left = [];
      const clearing = Promise.resolve(
        counted(
          `SELECT ${setConfigs(
            client,
            names.map((name): [string, string] => [name, '']),
            false,
          )}`,
        ),
      );
      state.clearing = clearing.then(
        () => (state.clearing = null),
        (error: unknown) => {
          state.left = [...new Set([...names, ...state.left])];
          state.clearing = null;
          throw error;
        },
      );
    }
    return state.clearing ? afterClearing(state.clearing, client, args) : counted(...args);
  };
}

function setConfigs(client: pg.PoolClient, settings: [string, string][], local: boolean): string {
  return settings.map(([name, value]) => `set_config(${client.escapeLiteral(name)}, ${client.escapeLiteral(value)}, ${local})`).join(', ');
}

/** The reply to a shared read's COMMIT or ROLLBACK, which is not sent (there is no transaction). */
function answeredHere(args: unknown[]): unknown {
  const result = { command: 'COMMIT', rowCount: 0, rows: [], fields: [] };
  const callback = args.at(-1);
  if (typeof callback === 'function') return void process.nextTick(() => (callback as (e: null, r: unknown) => void)(null, result));
  return Promise.resolve(result);
}

/**
 * A statement sent once the session's leftover settings are cleared; if clearing failed, the
 * statement fails with that error rather than run under them. It is sent through `client.query`
 * again, so the connection's state is looked at anew.
 */
function afterClearing(clearing: Promise<unknown>, client: pg.PoolClient, args: unknown[]): unknown {
  const resend = () => (client.query as Send)(...args);
  const last = args.at(-1);
  if (typeof last === 'function') {
    clearing.then(resend, (error: unknown) => (last as (e: unknown) => void)(error));
    return undefined;
  }
  const first = args[0] as { submit?: unknown; handleError?: (e: unknown) => void } | undefined;
  if (first && typeof first.submit === 'function') {
    clearing.then(resend, (error: unknown) => first.handleError?.(error));
    return first;
  }
  return clearing.then(resend);
}
