import { pageQuery, uuidsOnly, type Identity, type PageArgs } from '@pathway/kit';
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
  const search = filter.search?.trim();
  const where: Prisma.CourseWhereInput = {
    AND: [
      { deletedAt: null },
      courseAccess.where(identity),
      query.where,
      filter.providerPlatformId ? { providerPlatformId: filter.providerPlatformId } : {},
      filter.type ? { type: filter.type } : {},
      search
        ? { OR: (['name', 'altName', 'description'] as const).map((field) => ({ [field]: { contains: search, mode: 'insensitive' } })) }
        : {},
    ],
  };
  const rows = await tx.course.findMany({ where, orderBy: query.orderBy, take: query.take });
  return { rows, query, sortField };
}
