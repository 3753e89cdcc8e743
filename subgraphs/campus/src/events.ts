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
