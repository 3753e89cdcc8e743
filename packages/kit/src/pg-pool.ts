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
  /** The `app.*` settings on the session, as the last read set them (or clearing emptied them). */
  session: Map<string, string>;
  /** Between a read's first statement and its (unsent) COMMIT: statements are the read's own. */
  reading: boolean;
  /** In a scoped transaction, whose BEGIN overrode the session's settings: its statements pass. */
  inTransaction: boolean;
  /** The session's settings being cleared: every statement waits for it. */
  clearing: Promise<unknown> | null;
}
const watched = new WeakMap<pg.PoolClient, ConnectionState>();

type Send = (...args: unknown[]) => unknown;
type Setting = [name: string, value: string];

/** The session's settings another statement must not see: those with a value. */
const leftOn = (state: ConnectionState): string[] => [...state.session].filter(([, value]) => value !== '').map(([name]) => name);

/**
 * Every statement of a pooled connection goes through here. Prisma's pg adapter sends a transaction's
 * `BEGIN` as a plain statement without parameters, from inside `withPendingScope`'s async context:
 * - a scoped transaction's becomes `BEGIN; SELECT set_config(…, true)…`: one round trip, none of
 *   Prisma's per-statement cost (about 0.4 ms of CPU), settings local to the transaction, and the
 *   session's settings it does not set emptied the same way;
 * - a read's becomes `SELECT set_config(…, false)…` of the settings the session does not hold
 *   already (nothing at all when it holds them all), and its COMMIT is answered here without being
 *   sent. The settings stay on the session, so the next statement on the connection that is not a
 *   scoped BEGIN first clears them: no statement runs under another request's scope, and a read
 *   costs at most one statement beyond its queries.
 */
function watchConnection(client: pg.PoolClient): void {
  const send = client.query.bind(client) as Send;
  const state: ConnectionState = { session: new Map(), reading: false, inTransaction: false, clearing: null };
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
      const own = new Set(pending.settings.map(([name]) => name));
      const wanted: Setting[] = [
        ...pending.settings,
        ...leftOn(state)
          .filter((name) => !own.has(name))
          .map((name): Setting => [name, '']),
      ];
      if (pending.session) {
        state.reading = true;
        const changed = wanted.filter(([name, value]) => state.session.get(name) !== value);
        if (!changed.length) return answeredHere(args);
        for (const [name, value] of changed) state.session.set(name, value);
        return counted({ ...first, text: `SELECT ${setConfigs(client, changed, false)}` }, ...args.slice(1));
      }
      state.inTransaction = true;
      return counted({ ...first, text: `BEGIN; SELECT ${setConfigs(client, wanted, true)}` }, ...args.slice(1));
    }
    const left = leftOn(state);
    if (left.length && !state.clearing) {
      const before = left.map((name): Setting => [name, state.session.get(name)!]);
      for (const name of left) state.session.set(name, '');
      const cleared = left.map((name): Setting => [name, '']);
      state.clearing = Promise.resolve(counted(`SELECT ${setConfigs(client, cleared, false)}`)).then(
        () => (state.clearing = null),
        (error: unknown) => {
          // Not cleared after all: the next statement tries again (this one fails with the error).
          for (const [name, value] of before) state.session.set(name, value);
          state.clearing = null;
          throw error;
        },
      );
    }
    return state.clearing ? afterClearing(state.clearing, client, args) : counted(...args);
  };
}

function setConfigs(client: pg.PoolClient, settings: Setting[], local: boolean): string {
  return settings.map(([name, value]) => `set_config(${client.escapeLiteral(name)}, ${client.escapeLiteral(value)}, ${local})`).join(', ');
}

/** The reply to a read's BEGIN or COMMIT (or ROLLBACK) that is not sent: there is no transaction. */
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
