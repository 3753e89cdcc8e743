import type { TransactionalPublisher } from '@pathway/kit';
import type { ContentRequest, Milestone, Outcome, Task } from './generated/prisma/client.ts';

/** The domain events this subgraph publishes (types and payloads: kit/event-catalog), inside the write's transaction. */

export function publishSyncFinished(events: TransactionalPublisher, task: Task, counts: Record<string, number>) {
  return events.publish({
    type: 'learning.sync.finished',
    tenantId: task.tenantId,
    entityId: task.id,
    payload: {
      providerPlatformId: task.providerPlatformId,
      status: task.status as 'completed' | 'failed' | 'cancelled',
      counts,
      error: task.error,
    },
  });
}

export function publishMilestoneCompleted(events: TransactionalPublisher, milestone: Milestone) {
  return events.publish({
    type: 'learning.milestone.completed',
    tenantId: milestone.tenantId,
    facilityId: milestone.facilityId,
    userId: milestone.userId,
    entityId: milestone.id,
    payload: { courseId: milestone.courseId, milestoneType: milestone.type },
  });
}

export function publishOutcomeAwarded(events: TransactionalPublisher, outcome: Outcome) {
  return events.publish({
    type: 'learning.outcome.awarded',
    tenantId: outcome.tenantId,
    facilityId: outcome.facilityId,
    userId: outcome.userId,
    entityId: outcome.id,
    payload: { courseId: outcome.courseId, outcomeType: outcome.type, value: outcome.value },
  });
}

/** A content request opened (previousStatus null) or answered; about the requester, at their facility. */
export function publishContentRequestChanged(
  events: TransactionalPublisher,
  request: ContentRequest,
  previousStatus: ContentRequest['status'] | null,
) {
  return events.publish({
    type: 'learning.content_request.changed',
    tenantId: request.tenantId,
    facilityId: request.facilityId,
    userId: request.userId,
    entityId: request.id,
    payload: { status: request.status, previousStatus },
  });
}
