import { badInput, conflict, type Identity, notFound, parseInput, reachFilter, uuidArg } from '@pathway/kit';
import { z } from 'zod';
import type { CreateProgramClassInput, UpdateProgramClassInput } from '../generated/graphql.ts';
import type { ClassStatus, Prisma, ProgramClass } from '../generated/prisma/client.ts';
import { classSnapshot, logChanges } from '../data/changes.ts';
import { promoteWaiting, seatsTaken } from './waitlist.ts';

type Tx = Prisma.TransactionClient;

/** Which class statuses may follow which: Completed and Cancelled are final. */
export const CLASS_TRANSITIONS: Record<ClassStatus, ClassStatus[]> = {
  Scheduled: ['Active', 'Cancelled', 'Paused'],
  Active: ['Paused', 'Completed', 'Cancelled'],
  Paused: ['Active', 'Completed', 'Cancelled'],
  Completed: [],
  Cancelled: [],
};

const classFields = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  instructorName: z.string().trim().max(200).nullish(),
  description: z.string().max(4000).nullish(),
  capacity: z.number().int().min(0, 'must be 0 or more').max(10_000).nullish(),
  creditHours: z.number().int().min(0, 'must be 0 or more').max(1000).nullish(),
  startDt: z.date(),
  endDt: z.date().nullish(),
  waitlistMode: z.enum(['AutoEnroll', 'Offer']).nullish(),
});
type ClassFields = z.infer<typeof classFields>;

function checkDates(fields: Pick<ClassFields, 'startDt' | 'endDt'>) {
  if (fields.endDt && fields.endDt < fields.startDt) throw badInput('A class cannot end before it starts.', { endDt: 'is before startDt' });
}

/**
 * Locks the class row (SELECT … FOR UPDATE) for the rest of the transaction and returns it, if it
 * lies within the caller's reach. Every write that depends on the number of seats goes through here,
 * so concurrent enrollments and capacity changes of one class run one after another.
 */
export async function lockClass(tx: Tx, identity: Identity, id: string): Promise<ProgramClass> {
  const classId = uuidArg(id, 'classId')!;
  await tx.$queryRaw`SELECT id FROM program_classes WHERE id = ${classId}::uuid FOR UPDATE`;
  const found = await tx.programClass.findFirst({
    where: { AND: [{ id: classId }, reachFilter(identity)] },
  });
  if (!found) throw notFound('The class');
  return found;
}

export async function createClass(tx: Tx, identity: Identity, input: CreateProgramClassInput): Promise<ProgramClass> {
  const facilityId = uuidArg(input.facilityId, 'facilityId')!;
  const programId = uuidArg(input.programId, 'programId')!;
  const fields = parseInput(classFields, input, 'The class');
  checkDates(fields);
  // FOR SHARE: an archiving of the facility waits for this class (and then sees it), or this sees the archive.
  await tx.$queryRaw`SELECT id FROM facilities WHERE id = ${facilityId}::uuid FOR SHARE`;
  const facility = await tx.facility.findFirst({
    where: { AND: [{ id: facilityId }, reachFilter(identity, 'id')] },
  });
  if (!facility) throw notFound('The facility');
  if (facility.archivedAt) throw conflict('The facility is archived and takes no new classes.', { reason: 'ARCHIVED' });
  const offered = await tx.facilityProgram.findFirst({ where: { facilityId, programId, program: { archivedAt: null, isActive: true } } });
  if (!offered)
    throw badInput('This facility does not offer that program (or the program is archived).', {
      programId: 'not offered at this facility',
    });
  const created = await tx.programClass.create({
    data: {
      ...fields,
      waitlistMode: fields.waitlistMode ?? 'AutoEnroll',
      tenantId: facility.tenantId,
      facilityId,
      programId,
      createUserId: identity.userId,
      updateUserId: identity.userId,
    },
  });
  await logChanges(tx, [{ actor: identity, programClass: created, action: 'class.created', after: classSnapshot(created) }]);
  return created;
}

export async function updateClass(tx: Tx, identity: Identity, id: string, patch: UpdateProgramClassInput) {
  const current = await lockClass(tx, identity, id);
  const merged = parseInput(
    classFields,
    { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) },
    'The class',
  );
  checkDates(merged);
  if (merged.capacity != null && merged.capacity !== current.capacity) {
    const taken = await seatsTaken(tx, current.id);
    if (merged.capacity < taken)
      throw badInput(`The class already has ${taken} active enrollments (and held offers).`, {
        capacity: `is below the ${taken} active enrollments`,
      });
  }
  const { name, instructorName, description, capacity, creditHours, startDt, endDt } = merged;
  const waitlistMode = merged.waitlistMode ?? current.waitlistMode;
  const updated = await tx.programClass.update({
    where: { id: current.id },
    data: { name, instructorName, description, capacity, creditHours, startDt, endDt, waitlistMode, updateUserId: identity.userId },
  });
  await logChanges(tx, [
    { actor: identity, programClass: updated, action: 'class.updated', before: classSnapshot(current), after: classSnapshot(updated) },
  ]);
  // More seats (or unlimited ones) go to the people waiting.
  const promoted = await promoteWaiting(tx, identity, updated);
  return { updated, promoted };
}

export async function changeClassStatus(tx: Tx, identity: Identity, id: string, status: ClassStatus, reason: string | null | undefined) {
  const current = await lockClass(tx, identity, id);
  if (current.status === status) throw conflict(`The class is already ${status}.`, { reason: 'ALREADY_IN_STATE' });
  if (!CLASS_TRANSITIONS[current.status].includes(status)) {
    throw conflict(`A ${current.status} class cannot become ${status}.`, {
      reason: 'INVALID_TRANSITION',
      from: current.status,
      to: status,
      allowed: CLASS_TRANSITIONS[current.status],
    });
  }
  const updated = await tx.programClass.update({ where: { id: current.id }, data: { status, updateUserId: identity.userId } });
  await logChanges(tx, [
    {
      actor: identity,
      programClass: updated,
      action: 'class.status_changed',
      reason: reason?.trim() || null,
      before: { status: current.status },
      after: { status },
    },
  ]);
  return { updated, previousStatus: current.status };
}
