import { uuidsOnly, type PageQuery } from '@pathway/kit';
import type { BehaviorChange, Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;
type Page = Pick<PageQuery, 'where' | 'orderBy'>;

/**
 * Change log lines of students or families (by `field`), newest first. The caller's right to read
 * them is decided on the student or family by the shield (Student.changeLog, Family.changeLog).
 */
function changesBy(field: 'studentId' | 'familyId' | 'entityId') {
  return (tx: Tx, keys: readonly string[], page: Page): Promise<BehaviorChange[]> =>
    tx.behaviorChange.findMany({ where: { AND: [{ [field]: { in: uuidsOnly(keys) } }, page.where] }, orderBy: page.orderBy });
}

export const changesOfStudents = changesBy('studentId');
export const changesOfFamilies = changesBy('familyId');
export const changesOfEntities = changesBy('entityId');
