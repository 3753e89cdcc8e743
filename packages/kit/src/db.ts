import { PrismaPg } from '@prisma/adapter-pg';
import type { Identity } from './identity.ts';
import { reachOf } from './scope.ts';

/**
 * A Prisma driver adapter bound to one subgraph's Postgres schema: every subgraph lives in its own
 * schema of one database, so both the search_path and Prisma's schema name are pinned.
 */
export function pgAdapter(url: string, schema: string, poolSize = 10): PrismaPg {
  return new PrismaPg({ connectionString: url, options: `-c search_path=${schema}`, max: poolSize }, { schema });
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
 * Runs `fn` in one transaction with the Row-Level Security settings for `actor`. The policies in
 * each migration read `app.tenant_id` and `app.reach`; `set_config(..., true)` keeps them local
 * to this transaction, so a pooled connection never carries one request's scope into another.
 */
export function withScope<Tx extends RawCapable, R>(client: ScopableClient<Tx>, actor: DbActor, fn: (tx: Tx) => Promise<R>): Promise<R> {
  const reach = typeof actor === 'string' ? actor : reachOf(actor);
  const tenantId = typeof actor === 'string' ? '' : actor.tenantId;
  return client.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SELECT set_config('app.tenant_id', $1, true), set_config('app.reach', $2, true)`, tenantId, reach);
    return fn(tx);
  });
}

/** A subgraph's database as one request sees it: every `run` is a transaction under that request's scope. */
export interface ScopedDb<Tx> {
  run<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
}

export function scopedDb<Tx extends RawCapable>(client: ScopableClient<Tx>, actor: DbActor): ScopedDb<Tx> {
  return { run: (fn) => withScope(client, actor, fn) };
}
