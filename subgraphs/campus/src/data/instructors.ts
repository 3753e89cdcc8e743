import { uuidArg, uuidsOnly, type Identity } from '@pathway/kit';
import type { ClassInstructor, Prisma } from '../generated/prisma/client.ts';
import { logChanges } from './changes.ts';
import { lockClass } from './class-writes.ts';
import { timezonesOf } from './schedules.ts';
import { checkInstructors } from '../writes/bookings.ts';

type Tx = Prisma.TransactionClient;

/** Of `classIds`, those `userId` teaches. */
export async function teaches(tx: Tx, userId: string, classIds: readonly string[]): Promise<Set<string>> {
  const rows = await tx.classInstructor.findMany({ where: { userId, classId: { in: uuidsOnly(classIds) } }, select: { classId: true } });
  return new Set(rows.map((r) => r.classId));
}

export const instructorsOfClasses = (tx: Tx, classIds: readonly string[]): Promise<ClassInstructor[]> =>
  tx.classInstructor.findMany({ where: { classId: { in: uuidsOnly(classIds) } }, orderBy: { createdAt: 'asc' } });

/**
 * Assigns or removes a staff member as a class's instructor. As with enrollment, campus cannot see
 * identity's people: the caller (who manages classes in this facility) vouches for the user id.
 */
export async function setInstructor(tx: Tx, identity: Identity, classId: string, userId: string, assigned: boolean) {
  const staffId = uuidArg(userId, 'userId')!;
  const programClass = await lockClass(tx, identity, classId);
  const key = { classId_userId: { classId: programClass.id, userId: staffId } };
  const current = await tx.classInstructor.findUnique({ where: key });
  if (assigned && !current) {
    await tx.classInstructor.create({
      data: {
        classId: programClass.id,
        userId: staffId,
        tenantId: programClass.tenantId,
        facilityId: programClass.facilityId,
        assignedBy: identity.userId,
      },
    });
    const zone = (await timezonesOf(tx, [programClass.facilityId])).get(programClass.facilityId) ?? 'UTC';
    await checkInstructors(tx, programClass, zone, [staffId]);
  } else if (!assigned && current) {
    await tx.classInstructor.delete({ where: key });
  } else {
    return programClass; // nothing changes, nothing to log
  }
  await logChanges(tx, [
    {
      actor: identity,
      programClass,
      action: assigned ? 'instructor.assigned' : 'instructor.removed',
      before: assigned ? null : { instructorId: staffId },
      after: assigned ? { instructorId: staffId } : null,
    },
  ]);
  return programClass;
}
