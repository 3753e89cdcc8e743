import { hostname } from 'node:os';
import { StreamGroup, withScope, type Logger, type Redis, type StreamEntry, type StreamEvent, type StreamReader } from '@pathway/kit';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { createDeliveries, endpointsFor, forgetOldDeliveries, stalePendingDeliveries } from '../data/webhooks.ts';
import { deliverableEvent, webhookBody } from './envelope.ts';
import type { WebhookQueue } from './queue.ts';

/** One consumer group for every identity instance: each event is fanned out by exactly one of them. */
export const WEBHOOK_GROUP = 'identity-webhooks';
const BATCH = 100;
const CONSUMER_FORGET_MS = 86_400_000;

/**
 * Reads `pathway:events` through a Redis consumer group, writes one delivery row per matching
 * endpoint (idempotent), enqueues their jobs, then acknowledges the event. A crash before XACK
 * leaves the entry pending; XAUTOCLAIM hands it to a live instance, and the rows' uniqueness keeps it
 * from being delivered twice.
 */
export class WebhookDispatcher {
  private readonly group: StreamGroup;
  private reader: StreamReader | null = null;
  private nextMaintenance = 0;

  /**
   * `blocking` must be a connection of its own: XREADGROUP BLOCK holds it. Entries another (crashed)
   * instance read but never acknowledged are taken over once idle for `claimIdleMs`.
   */
  constructor(
    private readonly prisma: PrismaClient,
    redis: Redis,
    private readonly blocking: Redis,
    private readonly queue: WebhookQueue,
    private readonly log: Logger,
    private readonly claimIdleMs: number,
  ) {
    this.group = new StreamGroup(redis, {
      group: WEBHOOK_GROUP,
      consumer: `${hostname()}-${process.pid}`,
      batch: BATCH,
      onEntry: (entry) => this.handle(entry),
      beforeRead: async () => {
        if (Date.now() >= this.nextMaintenance) await this.maintain();
      },
      onError: (error) => this.log.warn({ err: error }, 'webhook dispatcher failed; retrying'),
    });
  }

  async start(): Promise<void> {
    this.reader = await this.group.start(this.blocking);
  }

  async stop(): Promise<void> {
    await this.reader?.stop();
  }

  /** Fans one entry out (the group then acknowledges it); on failure it stays pending and is reclaimed later. */
  private async handle([id, fields]: StreamEntry): Promise<void> {
    const event = deliverableEvent(id, fields);
    if (event) await this.queue.enqueue(await withScope(this.prisma, 'service', (tx) => this.deliveriesOf(tx, event)));
  }

  private async deliveriesOf(tx: Prisma.TransactionClient, event: StreamEvent) {
    const endpoints = await endpointsFor(tx, { tenantId: event.tenantId, type: event.type, facilityId: event.facilityId ?? null });
    return endpoints.length ? createDeliveries(tx, event, endpoints, webhookBody(event)) : [];
  }

  /** Takes over entries left unacknowledged by dead instances, re-enqueues deliveries whose job was lost, and tidies up. */
  private async maintain(): Promise<void> {
    this.nextMaintenance = Date.now() + Math.min(30_000, this.claimIdleMs / 2);
    await this.group.claimIdle(this.claimIdleMs);
    const stale = await withScope(this.prisma, 'service', (tx) => stalePendingDeliveries(tx, new Date(Date.now() - this.claimIdleMs), 500));
    await this.queue.enqueue(stale);
    await withScope(this.prisma, 'service', (tx) => forgetOldDeliveries(tx));
    await this.group.forgetIdleConsumers(CONSUMER_FORGET_MS);
  }
}
