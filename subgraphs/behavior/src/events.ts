import type { EventPublisher } from '@pathway/kit';

/** The domain events this subgraph publishes (see kit/events for the envelope). */
export const BehaviorEvents = {
  requestCreated: 'behavior.request.created',
  reflectionCompleted: 'behavior.reflection.completed',
} as const;

/** Where an event about a student is scoped: the student's tenant and facility, and the student's own user. */
interface StudentScope {
  id: string;
  tenantId: string;
  facilityId: string | null;
  userId: string | null;
}

export function publishRequestCreated(events: EventPublisher, request: { id: string }, student: StudentScope) {
  return events.publish({
    type: BehaviorEvents.requestCreated,
    tenantId: student.tenantId,
    facilityId: student.facilityId,
    userId: student.userId,
    entityId: request.id,
    payload: { studentId: student.id },
  });
}

export function publishReflectionCompleted(events: EventPublisher, reflection: { id: string; requestId: string }, student: StudentScope) {
  return events.publish({
    type: BehaviorEvents.reflectionCompleted,
    tenantId: student.tenantId,
    facilityId: student.facilityId,
    userId: student.userId,
    entityId: reflection.id,
    payload: { studentId: student.id, requestId: reflection.requestId },
  });
}
