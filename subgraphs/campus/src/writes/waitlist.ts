import {
  badInput,
  conflict,
  forbidden,
  hasPermission,
  notFound,
  reachFilter,
  requirePeople,
  type Identity,
  type References,
  type ScopedDb,
} from '@pathway/kit';
import type { ClassEnrollment, Prisma, ProgramClass, WaitlistEntry } from '../generated/prisma/client.ts';
import { enrollmentSnapshot, logChanges } from '../data/changes.ts';
import { lockClass } from './classes.ts';

type Tx = Prisma.TransactionClient;
/** Who made a change: a person, or the service itself (the activation job). */
export type Actor = Pick<Identity, 'userId'>;

const MAX_BATCH = 100;
const OPEN_FOR_ENROLLMENT = new Set<ProgramClass['status']>(['Scheduled', 'Active']);

/**
 * Seats taken: active enrollments and seats held for an open offer. Every caller holds the class
 * row lock (`lockClass`), so the count cannot change under it: concurrent enrollments, promotions,
 * offers and capacity changes of one class run one after another.
 */
export async function seatsTaken(tx: Tx, classId: string): Promise<number> {
  const enrolled = await tx.classEnrollment.count({ where: { classId, status: 'Enrolled' } });
  const held = await tx.waitlistEntry.count({ where: { classId, status: 'Offered' } });
  return enrolled + held;
}

/** Creates Enrolled enrollments (with their change log lines) and closes the people's open waitlist places. */
export async function insertEnrollments(tx: Tx, actor: Actor, programClass: ProgramClass, userIds: string[], reason?: string) {
  if (!userIds.length) return [];
  const now = new Date();
  const created = await tx.classEnrollment.createManyAndReturn({
    data: userIds.map((userId) => ({
      tenantId: programClass.tenantId,
      facilityId: programClass.facilityId,
      classId: programClass.id,
      userId,
      status: 'Enrolled' as const,
      enrolledAt: now,
    })),
  });
  await tx.waitlistEntry.updateMany({
    where: { classId: programClass.id, userId: { in: userIds }, status: { in: ['Waiting', 'Offered'] } },
    data: { status: 'Enrolled', resolvedAt: now },
  });
  await logChanges(
    tx,
    created.map((e) => ({
      actor,
      programClass,
      enrollmentId: e.id,
      action: 'enrollment.created' as const,
      reason: reason ?? null,
      after: enrollmentSnapshot(e),
    })),
  );
  return created;
}

/**
 * Gives the seats that are free to the people waiting longest (the class row is locked by the
 * caller): enrolled at once, or offered (the seat is held) when the class's mode is Offer.
 * Returns the enrollments it made.
 */
export async function promoteWaiting(tx: Tx, actor: Actor, programClass: ProgramClass): Promise<ClassEnrollment[]> {
  if (!OPEN_FOR_ENROLLMENT.has(programClass.status)) return [];
  const waiting = await tx.waitlistEntry.findMany({
    where: { classId: programClass.id, status: 'Waiting' },
    orderBy: { seq: 'asc' },
    take: MAX_BATCH,
  });
  if (!waiting.length) return [];
  const free =
    programClass.capacity == null ? waiting.length : Math.max(0, programClass.capacity - (await seatsTaken(tx, programClass.id)));
  const next = waiting.slice(0, free);
  if (!next.length) return [];
  if (programClass.waitlistMode === 'Offer') {
    await tx.waitlistEntry.updateMany({ where: { id: { in: next.map((e) => e.id) } }, data: { status: 'Offered', offeredAt: new Date() } });
    return [];
  }
  return insertEnrollments(
    tx,
    actor,
    programClass,
    next.map((e) => e.userId),
    'seat freed: next on the waitlist',
  );
}

/**
 * Where every enrollment write starts: the distinct ids (1–100), the class row locked (concurrent
 * enrollments of one class take turns), each person vouched for by identity as a resident of the
 * class's facility within the caller's reach (kit references.ts), and the class open for enrollment.
 */
/** The people of an enrollment, checked with identity: residents of the class's facility. */
export interface Enrollees {
  classId: string;
  ids: string[];
  facilityId: string;
}

/**
 * Checks the people named before any transaction starts: the lookup is an HTTP call to identity,
 * and made under the class lock it would hold that lock (and a pooled connection) for its whole
 * round trip, serialising every concurrent enrollment behind it.
 */
export async function checkEnrollees(
  db: ScopedDb<Tx>,
  identity: Identity,
  refs: References,
  classId: string,
  userIds: string[],
): Promise<Enrollees> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) throw badInput('Name at least one person to enroll.', { userIds: 'is empty' });
  if (ids.length > MAX_BATCH) throw badInput(`At most ${MAX_BATCH} people per call.`, { userIds: 'too many' });
  const found = await db.run((tx) =>
    tx.programClass.findFirst({ where: { AND: [{ id: classId }, reachFilter(identity)] }, select: { facilityId: true } }),
  );
  if (!found) throw notFound('The class');
  await requirePeople(refs, identity, ids, { field: 'userIds', roles: ['resident'], facilityId: found.facilityId });
  return { classId, ids, facilityId: found.facilityId };
}

/** The class, locked, when it takes enrollments; its facility is still the one the people were checked for. */
export async function openForEnrollment(tx: Tx, identity: Identity, enrollees: Enrollees) {
  const programClass = await lockClass(tx, identity, enrollees.classId);
  if (programClass.facilityId !== enrollees.facilityId)
    throw conflict('The class moved to another facility meanwhile. Try again.', { reason: 'INVALID_TRANSITION' });
  if (!OPEN_FOR_ENROLLMENT.has(programClass.status))
    throw conflict(`A ${programClass.status} class takes no enrollments.`, { reason: 'CLASS_CLOSED' });
  return { ids: enrollees.ids, programClass };
}

/**
 * Enrolls people while seats are left and puts the rest on the waitlist, in the order given. Nobody
 * jumps the queue: while anyone waits, newcomers wait behind them. People are checked as `enrollResidents` checks them.
 */
export async function enrollOrWaitlist(tx: Tx, identity: Identity, enrollees: Enrollees) {
  const { ids, programClass } = await openForEnrollment(tx, identity, enrollees);
  const enrolled = await tx.classEnrollment.findMany({
    where: { classId: programClass.id, userId: { in: ids } },
    select: { userId: true },
  });
  const waiting = await tx.waitlistEntry.findMany({
    where: { classId: programClass.id, userId: { in: ids }, status: { in: ['Waiting', 'Offered'] } },
    select: { userId: true },
  });
  if (enrolled.length || waiting.length) {
    throw conflict('Some of these people are already enrolled in this class (or were), or are on its waitlist.', {
      reason: 'ALREADY_ENROLLED',
      userIds: [...enrolled, ...waiting].map((e) => e.userId),
    });
  }
  const queued = await tx.waitlistEntry.count({ where: { classId: programClass.id, status: 'Waiting' } });
  const free =
    queued > 0
      ? 0
      : programClass.capacity == null
        ? ids.length
        : Math.max(0, programClass.capacity - (await seatsTaken(tx, programClass.id)));
  const created = await insertEnrollments(tx, identity, programClass, ids.slice(0, free));
  const rest = ids.slice(free);
  // One row at a time, so `seq` follows the order given.
  const waitlisted: WaitlistEntry[] = [];
  for (const userId of rest)
    waitlisted.push(
      await tx.waitlistEntry.create({
        data: {
          tenantId: programClass.tenantId,
          facilityId: programClass.facilityId,
          classId: programClass.id,
          userId,
          createdBy: identity.userId,
        },
      }),
    );
  if (waitlisted.length)
    await logChanges(tx, [{ actor: identity, programClass, action: 'waitlist.added', after: { userIds: rest, ahead: queued } }]);
  return { programClass, created, waitlisted };
}

/** A waitlist place the caller may act on (their own, or with campus.enrollment.manage in reach), its class locked. */
async function entryToChange(tx: Tx, identity: Identity, entryId: string) {
  const entry = await tx.waitlistEntry.findFirst({ where: { id: entryId } });
  const manager = hasPermission(identity, 'campus.enrollment.manage');
  const inReach = entry && (await tx.waitlistEntry.count({ where: { AND: [{ id: entryId }, reachFilter(identity)] } })) > 0;
  if (!entry || (entry.userId !== identity.userId && !(manager && inReach))) {
    if (entry && inReach && hasPermission(identity, 'campus.enrollment.read'))
      throw forbidden('Only the person or an enrollment manager changes this place.');
    throw notFound('The waitlist place');
  }
  // Lock the class as the service would see it: a resident's own place stays theirs after a transfer.
  await tx.$queryRaw`SELECT id FROM program_classes WHERE id = ${entry.classId}::uuid FOR UPDATE`;
  const programClass = await tx.programClass.findUniqueOrThrow({ where: { id: entry.classId } });
  const current = await tx.waitlistEntry.findUniqueOrThrow({ where: { id: entryId } });
  return { entry: current, programClass };
}

export async function acceptSeatOffer(tx: Tx, identity: Identity, entryId: string) {
  const { entry, programClass } = await entryToChange(tx, identity, entryId);
  if (entry.status !== 'Offered')
    throw conflict(`Only an offered seat can be taken; this place is ${entry.status}.`, {
      reason: 'INVALID_TRANSITION',
      from: entry.status,
      to: 'Enrolled',
      allowed: [],
    });
  if (!OPEN_FOR_ENROLLMENT.has(programClass.status))
    throw conflict(`A ${programClass.status} class takes no enrollments.`, { reason: 'CLASS_CLOSED' });
  const [enrollment] = await insertEnrollments(tx, identity, programClass, [entry.userId], 'accepted the offered seat');
  return {
    entry: await tx.waitlistEntry.findUniqueOrThrow({ where: { id: entryId } }),
    enrollment: enrollment!,
    promoted: [] as ClassEnrollment[],
  };
}

/** Declining an offer or leaving the list: the place closes and a held seat goes to the next person. */
export async function leaveWaitlist(tx: Tx, identity: Identity, entryId: string, reason: string | null | undefined, declining: boolean) {
  const { entry, programClass } = await entryToChange(tx, identity, entryId);
  const allowed = declining ? ['Offered'] : ['Waiting', 'Offered'];
  const to = declining ? 'Declined' : 'Withdrawn';
  if (!allowed.includes(entry.status))
    throw conflict(`A ${entry.status} place cannot become ${to}.`, { reason: 'INVALID_TRANSITION', from: entry.status, to, allowed: [] });
  const updated = await tx.waitlistEntry.update({
    where: { id: entryId },
    data: { status: to, resolvedAt: new Date(), reason: reason?.trim() || null },
  });
  await logChanges(tx, [
    {
      actor: identity,
      programClass,
      action: 'waitlist.left',
      reason: updated.reason,
      before: { userId: entry.userId, status: entry.status },
      after: { status: to },
    },
  ]);
  const promoted = entry.status === 'Offered' ? await promoteWaiting(tx, identity, programClass) : [];
  return { entry: updated, enrollment: null, promoted };
}
