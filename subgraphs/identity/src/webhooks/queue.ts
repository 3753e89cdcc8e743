import type { Jobs } from '@pathway/kit';
import type { QueuedDelivery } from '../data/webhooks.ts';

/** One delivery attempt, until it succeeds or the attempts run out; each replay is a job of its own. */
export interface DeliveryJob {
  deliveryId: string;
  replays: number;
}

/** Identity's jobs (the kit's job queue, `pathway:jobs:identity`). */
export interface IdentityJobs {
  'webhook.deliver': DeliveryJob;
}

/** Schedules delivery attempts. The database row is the truth; a job only says "try this delivery". */
export interface WebhookQueue {
  enqueue(deliveries: readonly QueuedDelivery[]): Promise<void>;
}

/** The job's key (delivery id, plus the replay number) makes enqueueing the same attempt twice a no-op. */
export const deliveryKey = (job: DeliveryJob) => (job.replays ? `${job.deliveryId}-replay-${job.replays}` : job.deliveryId);

export const webhookQueue = (jobs: Jobs<IdentityJobs>): WebhookQueue => ({
  enqueue: (deliveries) =>
    jobs.addBulk(
      'webhook.deliver',
      deliveries.map((d) => ({ deliveryId: d.id, replays: d.replays })),
    ),
});
