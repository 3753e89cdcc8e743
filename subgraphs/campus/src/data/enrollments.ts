import { uuidsOnly, type Identity, type PageQuery } from '@pathway/kit';
import * as access from '../access.ts';
import type { EnrollmentStatus, Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;
type Page = Pick<PageQuery, 'where' | 'orderBy'>;

export interface EnrollmentFilter {
  status?: EnrollmentStatus | null;
}

export function findEnrollmentsByIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.classEnrollment.findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, access.classEnrollment.where(identity)] } });
}

/** Enrollments of the rows under `field` (users or classes) that the identity may see, from the page's cursor on. */
function enrollmentsBy(field: 'userId' | 'classId') {
  return (tx: Tx, identity: Identity, keys: readonly string[], filter: EnrollmentFilter, page: Page) =>
    tx.classEnrollment.findMany({
      where: {
        AND: [
          { [field]: { in: uuidsOnly(keys) } },
          access.classEnrollment.where(identity),
          page.where,
          filter.status ? { status: filter.status } : {},
        ],
      },
      orderBy: page.orderBy,
    });
}

export const enrollmentsOfUsers = enrollmentsBy('userId');
export const enrollmentsOfClasses = enrollmentsBy('classId');

/** Active (Enrolled) seats per class, for every class of `classIds` the identity may see. */
export async function activeCountsOfClasses(tx: Tx, classIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await tx.classEnrollment.groupBy({
    by: ['classId'],
    where: { classId: { in: uuidsOnly(classIds) }, status: 'Enrolled' },
    _count: { _all: true },
  });
  return new Map(rows.map((r) => [r.classId, r._count._all]));
}
