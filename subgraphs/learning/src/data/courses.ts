import { pageQuery, type Identity, type PageArgs } from '@pathway/kit';
import type { CourseType, Prisma } from '../generated/prisma/client.ts';
import { catalogReachFilter } from '@pathway/kit';
import { uuidsOnly } from '@pathway/kit';

type Tx = Prisma.TransactionClient;

export interface CourseFilter {
  providerPlatformId?: string | null;
  type?: CourseType | null;
  search?: string | null;
}

const sortColumns = { NAME: 'name', CREATED_AT: 'createdAt' } as const;
export type CourseSortField = keyof typeof sortColumns;

/** By id, removed courses included: an enrollment still names the course it was in. */
export function findCoursesByIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.course.findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, catalogReachFilter(identity) as Prisma.CourseWhereInput] } });
}

/** One page of the catalog inside the identity's reach; the reach filter is ANDed in whatever the client asks. */
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
      catalogReachFilter(identity) as Prisma.CourseWhereInput,
      query.where as Prisma.CourseWhereInput,
      filter.providerPlatformId ? { providerPlatformId: filter.providerPlatformId } : {},
      filter.type ? { type: filter.type } : {},
      search
        ? { OR: (['name', 'altName', 'description'] as const).map((field) => ({ [field]: { contains: search, mode: 'insensitive' } })) }
        : {},
    ],
  };
  const rows = await tx.course.findMany({ where, orderBy: query.orderBy as Prisma.CourseOrderByWithRelationInput[], take: query.take });
  return { rows, query, sortField };
}
