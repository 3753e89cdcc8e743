import { requirePeople, uuidArg, type Identity, type References } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import { logChanges } from '../data/changes.ts';
import { timezonesOf } from '../data/schedules.ts';
import { checkInstructors } from './bookings.ts';
import { lockClass } from './classes.ts';

type Tx = Prisma.TransactionClient;

/** Who may teach a class of their facility. */
const TEACHING_ROLES = ['staff', 'facility_admin'] as const;

/**
 * Assigns or removes a staff member as a class's instructor. Identity vouches for an assigned
 * person (kit references.ts): staff or a facility admin of the class's facility. Removal takes any
 * id already assigned, so someone who has since left can still be taken off.
 */
export async function setInstructor(tx: Tx, identity: Identity, refs: References, classId: string, userId: string, assigned: boolean) {
  const staffId = uuidArg(userId, 'userId')!;
  const programClass = await lockClass(tx, identity, classId);
  if (assigned)
    await requirePeople(refs, identity, [staffId], { field: 'userId', roles: TEACHING_ROLES, facilityId: programClass.facilityId });
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
