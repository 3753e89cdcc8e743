import { uuidsOnly, type Identity, type PageQuery } from '@pathway/kit';
import type { ClassChange, ClassEnrollment, Prisma, ProgramClass } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;
type Page = Pick<PageQuery, 'where' | 'orderBy'>;

export type ClassChangeAction =
  | 'class.created'
  | 'class.updated'
  | 'class.status_changed'
  | 'enrollment.created'
  | 'enrollment.status_changed'
  | 'event.created'
  | 'occurrence.cancelled'
  | 'occurrence.changed'
  | 'attendance.corrected'
  | 'instructor.assigned'
  | 'instructor.removed'
  | 'waitlist.added'
  | 'waitlist.left'
  | 'room.booked'
  | 'occurrence.uncancelled';

/** The fields a change log line keeps of a class or an enrollment (dates as ISO strings). */
export const classSnapshot = (c: ProgramClass) => ({
  name: c.name,
  instructorName: c.instructorName,
  description: c.description,
  capacity: c.capacity,
  status: c.status,
  creditHours: c.creditHours,
  startDt: c.startDt.toISOString(),
  endDt: c.endDt?.toISOString() ?? null,
  waitlistMode: c.waitlistMode,
});
export const enrollmentSnapshot = (e: ClassEnrollment) => ({
  userId: e.userId,
  status: e.status,
  changeReason: e.changeReason,
  endedAt: e.endedAt?.toISOString() ?? null,
});

interface ChangeLine {
  /** A person, or the service (jobs) by its fixed id. */
  actor: Pick<Identity, 'userId'>;
  programClass: Pick<ProgramClass, 'id' | 'tenantId' | 'facilityId'>;
  enrollmentId?: string | null;
  action: ClassChangeAction;
  reason?: string | null;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
}

const lineData = (c: ChangeLine): Prisma.ClassChangeCreateManyInput => ({
  tenantId: c.programClass.tenantId,
  facilityId: c.programClass.facilityId,
  classId: c.programClass.id,
  enrollmentId: c.enrollmentId ?? null,
  actorId: c.actor.userId,
  action: c.action,
  reason: c.reason ?? null,
  before: c.before ?? undefined,
  after: c.after ?? undefined,
});

/** Writes change log lines; call it inside the transaction that makes the change. */
export async function logChanges(tx: Tx, lines: ChangeLine[]): Promise<void> {
  if (lines.length > 0) await tx.classChange.createMany({ data: lines.map(lineData) });
}

/**
 * Change log lines of classes or enrollments (by `field`), newest first. Not cut to the caller here:
 * a line has no relation to its class to filter by, so the loader keeps the lines whose class's
 * roster the caller may read (`access.classRoster`).
 */
function changesBy(field: 'classId' | 'enrollmentId') {
  return (tx: Tx, keys: readonly string[], page: Page): Promise<ClassChange[]> =>
    tx.classChange.findMany({ where: { AND: [{ [field]: { in: uuidsOnly(keys) } }, page.where] }, orderBy: page.orderBy });
}

export const changesOfClasses = changesBy('classId');
export const changesOfEnrollments = changesBy('enrollmentId');
