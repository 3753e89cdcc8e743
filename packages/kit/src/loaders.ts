import DataLoader from 'dataloader';
import type { ScopedDb } from './db.ts';
import type { Identity } from './identity.ts';
import { pageQuery, toConnection, type Connection, type PageArgs, type PageQuery } from './pagination.ts';

/**
 * A per-request loader of rows by id: one query for all ids asked for in the same tick, results
 * in the order of the keys, null where a row is missing (or out of the caller's scope).
 */
export function byIdLoader<T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = await fetch(ids);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** A per-request loader of the rows that share a key (e.g. a user's enrollments), one query per tick. */
export function groupLoader<T>(fetch: (keys: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => {
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const row of await fetch(keys)) groups.get(keyOf(row))?.push(row);
    return keys.map((k) => groups.get(k) ?? []);
  });
}

/** One page of the rows under `key` (e.g. one user's enrollments), with a filter shared by the batch. */
export interface PagedKey<F> {
  key: string;
  page: PageArgs;
  filter: F;
}

export interface PagedGroupOptions<T, F> {
  sortField: string;
  direction: 'asc' | 'desc';
  /** All rows of `keys` matching the filter and the page's cursor, in `orderBy` order. */
  fetch(keys: string[], filter: F, page: Pick<PageQuery, 'where' | 'orderBy'>): Promise<T[]>;
  keyOf(row: T): string;
}

/**
 * A per-request loader of a connection per key, so a list of 100 users' `enrollments` costs one
 * query: keys with the same cursor and filter share a query, whose rows are grouped and cut to each
 * key's page. Made for small groups (it reads a group's rows up to the cursor).
 */
export function pagedGroupLoader<T extends { id: string }, F>(
  opts: PagedGroupOptions<T, F>,
): DataLoader<PagedKey<F>, Connection<T>, string> {
  return new DataLoader(
    async (requests) => {
      const results: (Connection<T> | Error)[] = [];
      const batches = new Map<string, { index: number; request: PagedKey<F>; query: PageQuery }[]>();
      requests.forEach((request, index) => {
        let query: PageQuery;
        try {
          query = pageQuery(request.page, opts.sortField, opts.direction);
        } catch (error) {
          results[index] = error as Error; // a bad `first`/`after` fails only its own field
          return;
        }
        const batchKey = JSON.stringify([request.page.after ?? null, request.filter]);
        const batch = batches.get(batchKey) ?? [];
        batch.push({ index, request, query });
        batches.set(batchKey, batch);
      });
      await Promise.all(
        [...batches.values()].map(async (batch) => {
          const { where, orderBy } = batch[0]!.query;
          const keys = [...new Set(batch.map((b) => b.request.key))];
          const groups = new Map<string, T[]>();
          for (const row of await opts.fetch(keys, batch[0]!.request.filter, { where, orderBy })) {
            const group = groups.get(opts.keyOf(row));
            if (group) group.push(row);
            else groups.set(opts.keyOf(row), [row]);
          }
          for (const { index, request, query } of batch) {
            results[index] = toConnection((groups.get(request.key) ?? []).slice(0, query.take), query, opts.sortField);
          }
        }),
      );
      return results;
    },
    { cacheKeyFn: (r) => JSON.stringify([r.key, r.page.first ?? null, r.page.after ?? null, r.filter]) },
  );
}

/**
 * One loader per distinct page (`first`/`after`) of a per-key list: keys asking for the same page
 * share one batched query (e.g. every user's first 20 listings in one query).
 */
export function perPage<V>(make: (page: PageArgs) => DataLoader<string, V>): (page: PageArgs) => DataLoader<string, V> {
  const byArgs = new Map<string, DataLoader<string, V>>();
  return (page) => {
    const key = JSON.stringify([page.first ?? null, page.after ?? null]);
    let loader = byArgs.get(key);
    if (!loader) byArgs.set(key, (loader = make(page)));
    return loader;
  };
}

/** A yes/no fact per key (is this student assigned to me?), batched: one query returns the keys that are "yes". */
export function membershipLoader(fetch: (keys: readonly string[]) => Promise<Set<string>>): DataLoader<string, boolean> {
  return new DataLoader(async (keys) => {
    const yes = await fetch(keys);
    return keys.map((key) => yes.has(key));
  });
}

/**
 * A request's reads as its caller, the plumbing every subgraph's `createLoaders` starts from: `as`
 * runs `read` under the request's scope (kit db.ts) with the verified identity, and answers `none`
 * without one (federation resolves references before any rule runs, so loaders meet anonymous
 * callers); `confirm` makes an entity's confirm loader for `visibleRow` from a function returning
 * which of the ids the caller may see (one query per batch).
 */
export function callerReads<Tx>(db: ScopedDb<Tx>, identity: Identity | null) {
  const as = <R>(none: R, read: (tx: Tx, who: Identity) => Promise<R>): Promise<R> =>
    identity ? db.read((tx) => read(tx, identity)) : Promise.resolve(none);
  const confirm = (visibleOf: (tx: Tx, who: Identity, ids: string[]) => Promise<readonly { id: string }[]>) =>
    membershipLoader((ids) => as(new Set<string>(), async (tx, who) => new Set((await visibleOf(tx, who, [...ids])).map((row) => row.id))));
  return { as, confirm };
}

/**
 * Every root mutation of a subgraph, wrapped so that the fields read after it see what it wrote: when
 * the write is done the request's loaders are replaced by fresh ones (`makeLoaders`), so no row
 * cached earlier in the operation (by an earlier mutation's answer, or by this one's own checks)
 * is served again. Mutations run one after another, each answer read before the next write, so one
 * document `a: assignRole(...) { roles } b: revokeRole(...) { roles }` sees each step. A prime done
 * by the resolver is dropped with the rest: a read after a write costs a query, and is right.
 */
export function freshReadsAfterWrites<M extends object>(mutation: M): M {
  const wrapped: Record<string, unknown> = {};
  for (const [name, resolve] of Object.entries(mutation)) {
    if (typeof resolve !== 'function') {
      wrapped[name] = resolve;
      continue;
    }
    wrapped[name] = async (parent: unknown, args: unknown, ctx: { loaders: unknown; makeLoaders(): unknown }, info: unknown) => {
      try {
        return await (resolve as (...a: unknown[]) => unknown)(parent, args, ctx, info);
      } finally {
        // A refused write may have changed nothing, but may have cached what it checked: renew either way.
        ctx.loaders = ctx.makeLoaders();
      }
    };
  }
  return wrapped as M;
}
