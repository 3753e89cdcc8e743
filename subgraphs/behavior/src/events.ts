import type { TransactionalPublisher } from '@pathway/kit';
import type { BehaviorRequest, CommunicationLog, Reflection, Student } from './generated/prisma/client.ts';

/**
 * The domain events this subgraph publishes (types and payloads: kit/event-catalog), inside the
 * write's transaction. Each names the request as its entity, so a subscriber learns of it only if
 * they may see the request when it is delivered; payloads carry statuses and ids, never the
 * description or a reflection's content. `userId` is the student's account: they hear of their own.
 */
type Scope = Pick<Student, 'userId'>;

const scopeOf = (request: BehaviorRequest, student: Scope) => ({
  tenantId: request.tenantId,
  facilityId: request.facilityId,
  userId: student.userId,
  entityId: request.id,
});

export const publishRequestOpened = (events: TransactionalPublisher, request: BehaviorRequest, student: Scope) =>
  events.publish({ type: 'behavior.request.opened', ...scopeOf(request, student), payload: { status: request.status } });

export const publishRequestUpdated = (events: TransactionalPublisher, request: BehaviorRequest, student: Scope, previousStatus: string) =>
  events.publish({ type: 'behavior.request.updated', ...scopeOf(request, student), payload: { status: request.status, previousStatus } });

export const publishReflectionCompleted = (
  events: TransactionalPublisher,
  request: BehaviorRequest,
  student: Scope,
  reflection: Reflection,
) => events.publish({ type: 'behavior.reflection.completed', ...scopeOf(request, student), payload: { reflectionId: reflection.id } });

/** A message's outcome, to the guardian it went to (their account) and to administrators of the student; the entity is the log. */
export const publishCommunicationStatusChanged = (
  events: TransactionalPublisher,
  log: CommunicationLog,
  facilityId: string | null,
  userId: string | null,
) =>
  events.publish({
    type: 'behavior.communication.status_changed',
    tenantId: log.tenantId,
    facilityId,
    userId,
    entityId: log.id,
    payload: { status: log.status, channel: log.channel },
  });
