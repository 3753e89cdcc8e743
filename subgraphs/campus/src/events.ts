import type { EventPublisher } from '@pathway/kit';
import type { ClassEnrollment, ClassEvent, ClassStatus, EnrollmentStatus, ProgramClass } from './generated/prisma/client.ts';

/** The domain events this subgraph publishes (see kit/events for the envelope), always after the transaction commits. */
export const CampusEvents = {
  enrollmentChanged: 'campus.enrollment.changed',
  attendanceRecorded: 'campus.attendance.recorded',
  classStatusChanged: 'campus.class.status_changed',
} as const;

export function publishEnrollmentChanged(events: EventPublisher, enrollment: ClassEnrollment, previousStatus: EnrollmentStatus | null) {
  return events.publish({
    type: CampusEvents.enrollmentChanged,
    tenantId: enrollment.tenantId,
    facilityId: enrollment.facilityId,
    userId: enrollment.userId,
    entityId: enrollment.id,
    payload: { classId: enrollment.classId, status: enrollment.status, previousStatus },
  });
}

export function publishClassStatusChanged(events: EventPublisher, programClass: ProgramClass, previousStatus: ClassStatus) {
  return events.publish({
    type: CampusEvents.classStatusChanged,
    tenantId: programClass.tenantId,
    facilityId: programClass.facilityId,
    entityId: programClass.id,
    payload: { status: programClass.status, previousStatus },
  });
}

/** Attendance of one occurrence was taken or corrected (counts only: the rows stay behind the API's rules). */
export function publishAttendanceRecorded(events: EventPublisher, event: ClassEvent, date: string, records: number, corrected: number) {
  return events.publish({
    type: CampusEvents.attendanceRecorded,
    tenantId: event.tenantId,
    facilityId: event.facilityId,
    entityId: event.id,
    payload: { classId: event.classId, eventId: event.id, date, records, corrected },
  });
}
