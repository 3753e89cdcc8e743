import type { EventPublisher } from '@pathway/kit';

/** The domain events this subgraph publishes (see kit/events for the envelope). Published once sync lands. */
export const LearningEvents = {
  milestoneCompleted: 'learning.milestone.completed',
  outcomeAwarded: 'learning.outcome.awarded',
} as const;

/** The scope of a learner's row: who it is about and where, so delivery can be restricted. */
interface LearnerRow {
  id: string;
  tenantId: string;
  facilityId: string | null;
  userId: string;
  courseId: string;
}

export function publishMilestoneCompleted(events: EventPublisher, milestone: LearnerRow) {
  return events.publish({
    type: LearningEvents.milestoneCompleted,
    tenantId: milestone.tenantId,
    facilityId: milestone.facilityId,
    userId: milestone.userId,
    entityId: milestone.id,
    payload: { courseId: milestone.courseId },
  });
}

export function publishOutcomeAwarded(events: EventPublisher, outcome: LearnerRow & { type: string }) {
  return events.publish({
    type: LearningEvents.outcomeAwarded,
    tenantId: outcome.tenantId,
    facilityId: outcome.facilityId,
    userId: outcome.userId,
    entityId: outcome.id,
    payload: { courseId: outcome.courseId, type: outcome.type },
  });
}
