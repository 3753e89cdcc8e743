import { decodeCursor, encodeCursor, pageTake, tenantOf, type Identity, type PageArgs } from '@pathway/kit';
import { Prisma } from '../generated/prisma/client.ts';

/**
 * One page of search hits ordered best first (rank descending, ties by id), cut by a cursor that
 * carries the rank: what every ranked search here returns (courses alone, or the combined search).
 */
export function rankedPage<T extends { id: string }>(hits: T[], rankOf: (hit: T) => number, page: PageArgs) {
  const sorted = [...hits].sort((a, b) => rankOf(b) - rankOf(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const take = pageTake(page) - 1; // pageTake counts the look-ahead row
  let start = 0;
  if (page.after) {
    const { value, id } = decodeCursor(page.after);
    const after = { id, rank: Number(value) };
    start = sorted.findIndex((hit) => rankOf(hit) < after.rank || (rankOf(hit) === after.rank && hit.id > after.id));
    if (start < 0) start = sorted.length;
  }
  const slice = sorted.slice(start, start + take + 1);
  const nodes = slice.slice(0, take);
  const cursorOf = (hit: T) => encodeCursor(rankOf(hit), hit.id);
  return {
    nodes,
    cursorOf,
    pageInfo: { hasNextPage: slice.length > take, endCursor: nodes.length ? cursorOf(nodes.at(-1)!) : null },
  };
}

/** Text search considers at most this many best matches (by rank) of each table before the caller's filters. */
export const SEARCH_CANDIDATES = 1000;

/** The tables with a generated, GIN-indexed `search_vector` (and what a live row of each is). */
const SEARCHABLE = {
  courses: Prisma.sql`deleted_at IS NULL`,
  libraries: Prisma.sql`TRUE`,
  videos: Prisma.sql`TRUE`,
  helpful_links: Prisma.sql`TRUE`,
} as const;

/**
 * The best SEARCH_CANDIDATES matches of `text` (Postgres `websearch_to_tsquery`, English) in one
 * table, ranked by `ts_rank`; Row-Level Security keeps them to the caller's tenant (named in the
 * query too, so the tenant's btree finds them: kit `tenantOf`), and the caller ANDs the entity's
 * access filter in when loading the rows.
 */
export function rankedCandidates(tx: Prisma.TransactionClient, table: keyof typeof SEARCHABLE, text: string, identity: Identity) {
  const tenantId = tenantOf(identity);
  return tx.$queryRaw<{ id: string; rank: number }[]>`
    SELECT id::text AS id, ts_rank(search_vector, q)::float8 AS rank
    FROM ${Prisma.raw(`"${table}"`)}, websearch_to_tsquery('english', ${text}) AS q
    WHERE search_vector @@ q AND ${SEARCHABLE[table]}${tenantId ? Prisma.sql` AND tenant_id = ${tenantId}::uuid` : Prisma.empty}
    ORDER BY rank DESC, id
    LIMIT ${SEARCH_CANDIDATES}`;
}
