import { hasPermission, pageQuery, reachFilter, type Identity, type PageArgs, type PageQuery } from '@pathway/kit';
import type { CourseEnrollment, Prisma } from '../generated/prisma/client.ts';
import { uuidsOnly } from '@pathway/kit';

type Tx = Prisma.TransactionClient;

/** A person's enrollments are listed newest first. */
export const ENROLLMENT_SORT = 'enrolledAt';

export function enrollmentPage(page: PageArgs): PageQuery {
  return pageQuery(page, ENROLLMENT_SORT, 'desc');
}

/**
 * Which of a person's enrollments the caller may see: all of their own; someone else's only with
 * `learning.enrollment.read` and only rows inside the caller's reach; otherwise none.
 */
function visibleOf(identity: Identity, userId: string): Prisma.CourseEnrollmentWhereInput | null {
  if (userId === identity.userId) return { userId, tenantId: identity.tenantId };
  if (hasPermission(identity, 'learning.enrollment.read'))
    return { userId, ...(reachFilter(identity) as Prisma.CourseEnrollmentWhereInput) };
  return null;
}

/**
 * One page of enrollments for each of several people, in one query (for the User field's loader).
 * Every person's rows share the page's cursor condition; the per-person cut is made by the caller.
 */
export function enrollmentsOfUsers(tx: Tx, identity: Identity, userIds: readonly string[], query: PageQuery): Promise<CourseEnrollment[]> {
  const perUser = uuidsOnly(userIds)
    .map((id) => visibleOf(identity, id))
    .filter((w): w is Prisma.CourseEnrollmentWhereInput => w !== null);
  if (perUser.length === 0) return Promise.resolve([]);
  return tx.courseEnrollment.findMany({
    where: { AND: [{ deletedAt: null }, { OR: perUser }, query.where as Prisma.CourseEnrollmentWhereInput] },
    orderBy: query.orderBy as Prisma.CourseEnrollmentOrderByWithRelationInput[],
  });
}
