import { Queue, type ConnectionOptions } from 'bullmq';
import type { QueuedDelivery } from '../data/webhooks.ts';

/** bullmq keys live in the Redis database of REDIS_URL, so runs on other database indexes never meet. */
export const WEBHOOK_QUEUE = 'pathway-webhooks';

export interface DeliveryJob {
  deliveryId: string;
}

/** bullmq's own connections: its blocking commands must wait out a Redis restart (maxRetriesPerRequest: null). */
export const bullConnection = (redisUrl: string): ConnectionOptions => ({
  url: redisUrl,
  maxRetriesPerRequest: null,
  connectionName: 'pathway-identity-webhooks',
});

/**
 * Schedules delivery attempts. The database row is the truth; a job only says "try this delivery",
 * and its id (delivery id, plus the replay number) makes enqueueing the same attempt twice a no-op.
 */
export class WebhookQueue {
  private readonly queue: Queue<DeliveryJob>;

  constructor(
    redisUrl: string,
    private readonly retry: { attempts: number; backoffMs: number },
  ) {
    this.queue = new Queue<DeliveryJob>(WEBHOOK_QUEUE, { connection: bullConnection(redisUrl) });
  }

  async enqueue(deliveries: readonly QueuedDelivery[]): Promise<void> {
    if (!deliveries.length) return;
    await this.queue.addBulk(
      deliveries.map((d) => ({
        name: 'deliver',
        data: { deliveryId: d.id },
        opts: {
          jobId: d.replays ? `${d.id}-replay-${d.replays}` : d.id,
          attempts: this.retry.attempts,
          backoff: { type: 'exponential', delay: this.retry.backoffMs },
          // The delivery row keeps the outcome (and the dead-letter list); the job needn't stay.
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
