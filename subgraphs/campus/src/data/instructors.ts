import { uuidsOnly } from '@pathway/kit';
import type { ClassInstructor, Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

/** Of `classIds`, those `userId` teaches. */
export async function teaches(tx: Tx, userId: string, classIds: readonly string[]): Promise<Set<string>> {
  const rows = await tx.classInstructor.findMany({ where: { userId, classId: { in: uuidsOnly(classIds) } }, select: { classId: true } });
  return new Set(rows.map((r) => r.classId));
}

export const instructorsOfClasses = (tx: Tx, classIds: readonly string[]): Promise<ClassInstructor[]> =>
  tx.classInstructor.findMany({ where: { classId: { in: uuidsOnly(classIds) } }, orderBy: { createdAt: 'asc' } });
