import { decodeCursor, encodeCursor, pageQuery, pageTake, uuidsOnly, type Identity, type PageArgs } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import type { CourseFilter, CourseSortField } from '../generated/graphql.ts';
import { courseAccess } from '../access.ts';

type Tx = Prisma.TransactionClient;

const byIdsVisible = (identity: Identity, ids: readonly string[]): Prisma.CourseWhereInput => ({
  AND: [{ id: { in: uuidsOnly(ids) } }, courseAccess.where(identity)],
});

const sortColumns = { NAME: 'name', CREATED_AT: 'createdAt' } as const satisfies Record<CourseSortField, string>;

/** By id, removed courses included: an enrollment still names the course it was in. */
export function findCoursesByIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.course.findMany({ where: byIdsVisible(identity, ids) });
}

/** Which of `ids` the identity may see (the row rule's database fallback). */
export function visibleCourseIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.course.findMany({ where: byIdsVisible(identity, ids), select: { id: true } });
}

/** One page of the catalog inside the identity's reach; the access filter is ANDed in whatever the client asks. */
export async function listCourses(
  tx: Tx,
  identity: Identity,
  filter: CourseFilter,
  page: PageArgs,
  sort: { field: CourseSortField; direction: 'ASC' | 'DESC' },
) {
  const sortField = sortColumns[sort.field];
  const query = pageQuery(page, sortField, sort.direction === 'ASC' ? 'asc' : 'desc');
  const where: Prisma.CourseWhereInput = {
    AND: [
      { deletedAt: null },
      courseAccess.where(identity),
      query.where,
      filter.providerPlatformId ? { providerPlatformId: filter.providerPlatformId } : {},
      filter.type ? { type: filter.type } : {},
      filter.outcomeType ? { outcomeTypes: { has: filter.outcomeType } } : {},
    ],
  };
  const rows = await tx.course.findMany({ where, orderBy: query.orderBy, take: query.take });
  return { rows, query, sortField };
}

/** Text search considers at most this many best matches (by rank) before the caller's filters. */
export const SEARCH_CANDIDATES = 1000;

/**
 * Full-text search of the catalog (Postgres `websearch_to_tsquery` against the GIN-indexed
 * `search_vector`), best match first (`ts_rank`, ties by id). Postgres finds and ranks the best
 * SEARCH_CANDIDATES matches in the caller's tenant (Row-Level Security); the entity's access filter
 * and the other filters then apply as for every list, and the page is cut after them, by a cursor
 * carrying the rank. Nothing outside the caller's reach is ever returned or counted.
 */
export async function searchCourses(tx: Tx, identity: Identity, filter: CourseFilter, text: string, page: PageArgs) {
  const ranked = await tx.$queryRaw<{ id: string; rank: number }[]>`
    SELECT id::text AS id, ts_rank(search_vector, q)::float8 AS rank
    FROM courses, websearch_to_tsquery('english', ${text}) AS q
    WHERE search_vector @@ q AND deleted_at IS NULL
    ORDER BY rank DESC, id
    LIMIT ${SEARCH_CANDIDATES}`;
  const rankOf = new Map(ranked.map((r) => [r.id, r.rank]));
  const rows = await tx.course.findMany({
    where: {
      AND: [
        { id: { in: ranked.map((r) => r.id) } },
        courseAccess.where(identity),
        filter.providerPlatformId ? { providerPlatformId: filter.providerPlatformId } : {},
        filter.type ? { type: filter.type } : {},
        filter.outcomeType ? { outcomeTypes: { has: filter.outcomeType } } : {},
      ],
    },
  });
  const byRank = (a: { id: string }, b: { id: string }) =>
    rankOf.get(b.id)! - rankOf.get(a.id)! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const sorted = rows.sort(byRank);
  const take = pageTake(page) - 1; // pageTake counts the look-ahead row
  let start = 0;
  if (page.after) {
    const { value, id } = decodeCursor(page.after);
    const after = { id, rank: Number(value) };
    start = sorted.findIndex((row) => {
      const rank = rankOf.get(row.id)!;
      return rank < after.rank || (rank === after.rank && row.id > after.id);
    });
    if (start < 0) start = sorted.length;
  }
  const slice = sorted.slice(start, start + take + 1);
  const nodes = slice.slice(0, take);
  return {
    edges: nodes.map((node) => ({ node, cursor: encodeCursor(rankOf.get(node.id)!, node.id) })),
    nodes,
    pageInfo: {
      hasNextPage: slice.length > take,
      endCursor: nodes.length ? encodeCursor(rankOf.get(nodes.at(-1)!.id)!, nodes.at(-1)!.id) : null,
    },
  };
}
