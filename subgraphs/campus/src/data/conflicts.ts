import { uuidArg, type Identity } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import * as access from '../access.ts';

type Tx = Prisma.TransactionClient;

/** Active enrollments the identity may see, of people enrolled in two classes or more (optionally at one facility). */
export async function multiClassEnrollments(tx: Tx, identity: Identity, facilityId: string | null | undefined) {
  const facility = uuidArg(facilityId, 'facilityId');
  const rows = await tx.classEnrollment.findMany({
    where: { AND: [access.classEnrollment.where(identity), { status: 'Enrolled' }, facility ? { facilityId: facility } : {}] },
    select: { userId: true, classId: true },
  });
  const classesOf = new Map<string, string[]>();
  for (const row of rows) classesOf.set(row.userId, [...(classesOf.get(row.userId) ?? []), row.classId]);
  return [...classesOf].filter(([, classIds]) => classIds.length > 1);
}
