import type { TransactionalPublisher } from '@pathway/kit';
import type { ClassEnrollment, ClassEvent, ClassStatus, EnrollmentStatus, ProgramClass } from './generated/prisma/client.ts';

/** The domain events this subgraph publishes (their types and payloads: kit/event-catalog), inside the write's transaction. */

export function publishEnrollmentChanged(
  events: TransactionalPublisher,
  enrollment: ClassEnrollment,
  previousStatus: EnrollmentStatus | null,
) {
  return events.publish({
    type: 'campus.enrollment.changed',
    tenantId: enrollment.tenantId,
    facilityId: enrollment.facilityId,
    userId: enrollment.userId,
    entityId: enrollment.id,
    payload: { classId: enrollment.classId, status: enrollment.status, previousStatus },
  });
}

export function publishClassStatusChanged(events: TransactionalPublisher, programClass: ProgramClass, previousStatus: ClassStatus) {
  return events.publish({
    type: 'campus.class.status_changed',
    tenantId: programClass.tenantId,
    facilityId: programClass.facilityId,
    entityId: programClass.id,
    payload: { status: programClass.status, previousStatus },
  });
}

/** Attendance of one occurrence was taken or corrected (counts only: the rows stay behind the API's rules). */
export function publishAttendanceRecorded(
  events: TransactionalPublisher,
  event: ClassEvent,
  date: string,
  records: number,
  corrected: number,
) {
  return events.publish({
    type: 'campus.attendance.recorded',
    tenantId: event.tenantId,
    facilityId: event.facilityId,
    entityId: event.id,
    payload: { classId: event.classId, eventId: event.id, date, records, corrected },
  });
}

/** A facility was created, changed, archived, reactivated, closed for a day or reopened. */
export function publishFacilityChanged(events: TransactionalPublisher, facility: { id: string; tenantId: string }, action: string) {
  return events.publish({
    type: 'campus.facility.changed',
    tenantId: facility.tenantId,
    facilityId: facility.id,
    entityId: facility.id,
    payload: { action },
  });
}

/** A program changed (a tenant catalog row: no facility, unless the change was one facility's offer). */
export function publishProgramChanged(
  events: TransactionalPublisher,
  program: { id: string; tenantId: string },
  action: string,
  facilityId: string | null,
) {
  return events.publish({
    type: 'campus.program.changed',
    tenantId: program.tenantId,
    facilityId,
    entityId: program.id,
    payload: { action, facilityId },
  });
}

/** Enrollments made by a waitlist promotion. */
export async function publishPromoted(events: TransactionalPublisher, promoted: readonly ClassEnrollment[]) {
  for (const enrollment of promoted) await publishEnrollmentChanged(events, enrollment, null);
}
