import DataLoader from 'dataloader';
import { pageQuery, toConnection, type Connection, type PageArgs, type PageQuery } from '@pathway/kit';

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
 * key's page. Made for small groups (it reads a group's rows up to the cursor). Candidate for the kit.
 */
export function pagedGroupLoader<T extends { id: string }, F>(opts: PagedGroupOptions<T, F>): DataLoader<PagedKey<F>, Connection<T>, string> {
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
