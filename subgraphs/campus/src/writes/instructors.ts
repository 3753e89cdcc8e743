import { uuidArg, type Identity } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import { logChanges } from '../data/changes.ts';
import { lockClass } from '../writes/classes.ts';

type Tx = Prisma.TransactionClient;

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
