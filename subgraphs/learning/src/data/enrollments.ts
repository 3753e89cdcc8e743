import { pageQuery, uuidsOnly, type Identity, type PageArgs, type PageQuery } from '@pathway/kit';
import type { CourseEnrollment, Prisma } from '../generated/prisma/client.ts';
import { courseEnrollmentAccess } from '../access.ts';

type Tx = Prisma.TransactionClient;

const byIdsVisible = (identity: Identity, ids: readonly string[]): Prisma.CourseEnrollmentWhereInput => ({
  AND: [{ id: { in: uuidsOnly(ids) } }, courseEnrollmentAccess.where(identity)],
});

/** A person's enrollments are listed newest first. */
export const ENROLLMENT_SORT = 'enrolledAt';

export function enrollmentPage(page: PageArgs): PageQuery {
  return pageQuery(page, ENROLLMENT_SORT, 'desc');
}

/**
 * One page of enrollments for each of several people, in one query (for the User field's loader),
 * only the rows the caller may see. Every person's rows share the page's cursor condition; the
 * per-person cut is made by the caller.
 */
export function enrollmentsOfUsers(tx: Tx, identity: Identity, userIds: readonly string[], query: PageQuery): Promise<CourseEnrollment[]> {
  const ids = uuidsOnly(userIds);
  if (ids.length === 0) return Promise.resolve([]);
  return tx.courseEnrollment.findMany({
    where: { AND: [{ deletedAt: null }, { userId: { in: ids } }, courseEnrollmentAccess.where(identity), query.where] },
    orderBy: query.orderBy,
  });
}

/** Which of `ids` the identity may see (the row rule's database fallback). */
export function visibleEnrollmentIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.courseEnrollment.findMany({
    where: byIdsVisible(identity, ids),
    select: { id: true },
  });
}
