import { badInput, conflict, notFound, reachFilter, uuidArg, type Identity } from '@pathway/kit';
import type { ClassEnrollment, EnrollmentStatus, Prisma, ProgramClass } from '../generated/prisma/client.ts';
import { enrollmentSnapshot, logChanges } from '../data/changes.ts';
import { lockClass } from './classes.ts';
import { insertEnrollments, openForEnrollment, promoteWaiting, seatsTaken, type Enrollees } from './waitlist.ts';

type Tx = Prisma.TransactionClient;

const INCOMPLETE: EnrollmentStatus[] = [
  'Incomplete_Withdrawn',
  'Incomplete_Dropped',
  'Incomplete_Failed_to_Complete',
  'Incomplete_Transfered',
  'Incomplete_Segregated',
];

/**
 * Which enrollment statuses may follow which. Only an active enrollment (Enrolled) changes; every
 * other status is an outcome and final, so reports of completions and drops stay true. A person
 * who left and comes back is enrolled again by an administrator as a new decision, not by editing
 * the old outcome (and the class's (class, user) uniqueness makes that explicit: see `enrollResidents`).
 */
export const ENROLLMENT_TRANSITIONS: Record<EnrollmentStatus, EnrollmentStatus[]> = {
  Enrolled: ['Completed', 'Cancelled', ...INCOMPLETE],
  Completed: [],
  Cancelled: [],
  Incomplete_Withdrawn: [],
  Incomplete_Dropped: [],
  Incomplete_Failed_to_Complete: [],
  Incomplete_Transfered: [],
  Incomplete_Segregated: [],
};

/**
 * Enrolls residents of the class's facility, all or none. The class row is locked first, so
 * concurrent calls for one class take turns and the capacity check below counts every seat given.
 * Campus cannot read identity's tables, so identity vouches for each person (kit references.ts):
 * unknown ids are NOT_FOUND, people outside the caller's reach FORBIDDEN, and staff, inactive
 * people or residents of another facility BAD_USER_INPUT.
 */
export async function enrollResidents(
  tx: Tx,
  identity: Identity,
  enrollees: Enrollees,
): Promise<{ programClass: ProgramClass; created: ClassEnrollment[] }> {
  const { ids, programClass } = await openForEnrollment(tx, identity, enrollees);

  const existing = await tx.classEnrollment.findMany({
    where: { classId: programClass.id, userId: { in: ids } },
    select: { userId: true },
  });
  if (existing.length > 0) {
    throw conflict('Some of these people are already enrolled in this class (or were).', {
      reason: 'ALREADY_ENROLLED',
      userIds: existing.map((e) => e.userId),
    });
  }
  if (programClass.capacity != null) {
    // Seats held for open waitlist offers count as taken: a manual enrollment cannot take an offered seat.
    const taken = await seatsTaken(tx, programClass.id);
    if (taken + ids.length > programClass.capacity) {
      throw conflict(`The class is full: ${programClass.capacity - taken} of ${programClass.capacity} seats left.`, {
        reason: 'CLASS_FULL',
        capacity: programClass.capacity,
        seatsLeft: programClass.capacity - taken,
      });
    }
  }
  const created = await insertEnrollments(tx, identity, programClass, ids);
  return { programClass, created };
}

/** Changes one enrollment's status (with a reason), if the transition is allowed. */
export async function changeEnrollmentStatus(
  tx: Tx,
  identity: Identity,
  id: string,
  status: EnrollmentStatus,
  reason: string | null | undefined,
) {
  const enrollmentId = uuidArg(id, 'enrollmentId')!;
  const found = await tx.classEnrollment.findFirst({
    where: { AND: [{ id: enrollmentId }, reachFilter(identity)] },
  });
  if (!found) throw notFound('The enrollment');
  // The class lock serialises this with enrollments and capacity changes of the same class.
  const programClass = await lockClass(tx, identity, found.classId);
  const current = await tx.classEnrollment.findUniqueOrThrow({ where: { id: enrollmentId } });
  const why = reason?.trim() || null;
  if (current.status === status) throw conflict(`The enrollment is already ${status}.`, { reason: 'ALREADY_IN_STATE' });
  if (!ENROLLMENT_TRANSITIONS[current.status].includes(status)) {
    throw conflict(`An enrollment that is ${current.status} cannot become ${status}.`, {
      reason: 'INVALID_TRANSITION',
      from: current.status,
      to: status,
      allowed: ENROLLMENT_TRANSITIONS[current.status],
    });
  }
  if (status !== 'Completed' && !why)
    throw badInput('Say why the enrollment ends.', { reason: 'is required unless the status is Completed' });
  const updated = await tx.classEnrollment.update({
    where: { id: enrollmentId },
    data: { status, changeReason: why, endedAt: new Date() },
  });
  await logChanges(tx, [
    {
      actor: identity,
      programClass,
      enrollmentId,
      action: 'enrollment.status_changed',
      reason: why,
      before: enrollmentSnapshot(current),
      after: enrollmentSnapshot(updated),
    },
  ]);
  // The seat is free: the next person waiting gets it (or is offered it).
  const promoted = await promoteWaiting(tx, identity, programClass);
  return { updated, previousStatus: current.status, promoted };
}
