import { pageQuery, uuidsOnly, type Identity, type PageArgs } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import type { CourseFilter, CourseSortField } from '../generated/graphql.ts';
import { courseAccess } from '../access.ts';
import { rankedCandidates, rankedPage } from './ranked-page.ts';
import type { WithIds } from './open-content.ts';

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
  filter: WithIds<CourseFilter>,
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
      filter.ids ? { id: { in: uuidsOnly(filter.ids) } } : {},
    ],
  };
  const rows = await tx.course.findMany({ where, orderBy: query.orderBy, take: query.take });
  return { rows, query, sortField };
}

/**
 * Full-text search of the catalog (Postgres `websearch_to_tsquery` against the GIN-indexed
 * `search_vector`), best match first (`ts_rank`, ties by id). Postgres finds and ranks the best
 * SEARCH_CANDIDATES matches in the caller's tenant (Row-Level Security); the entity's access filter
 * and the other filters then apply as for every list, and the page is cut after them, by a cursor
 * carrying the rank. Nothing outside the caller's reach is ever returned or counted.
 */
export async function searchCourses(tx: Tx, identity: Identity, filter: WithIds<CourseFilter>, text: string, page: PageArgs) {
  const ranked = await rankedCandidates(tx, 'courses', text, identity);
  const rankOf = new Map(ranked.map((r) => [r.id, r.rank]));
  const rows = await tx.course.findMany({
    where: {
      AND: [
        { id: { in: ranked.map((r) => r.id) } },
        courseAccess.where(identity),
        filter.providerPlatformId ? { providerPlatformId: filter.providerPlatformId } : {},
        filter.type ? { type: filter.type } : {},
        filter.outcomeType ? { outcomeTypes: { has: filter.outcomeType } } : {},
        filter.ids ? { id: { in: uuidsOnly(filter.ids) } } : {},
      ],
    },
  });
  const { nodes, cursorOf, pageInfo } = rankedPage(rows, (row) => rankOf.get(row.id)!, page);
  return { edges: nodes.map((node) => ({ node, cursor: cursorOf(node) })), nodes, pageInfo };
}
