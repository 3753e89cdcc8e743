import { pageQuery, toConnection, type Connection, type PageArgs } from '@pathway/kit';

/**
 * Pages an already-loaded list (a family's few students or guardians, batched by a loader) with the
 * same `first`/`after` rules and cursors as the kit's keyset pagination, ordered by id.
 */
export function pageInMemory<T extends { id: string }>(rows: readonly T[], args: PageArgs): Connection<T> {
  const query = pageQuery(args);
  const after = (query.where as { id?: { gt?: string } }).id?.gt;
  const sorted = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rest = after ? sorted.filter((row) => row.id > after) : sorted;
  return toConnection(rest.slice(0, query.take), query);
}
