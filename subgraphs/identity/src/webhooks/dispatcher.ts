import { hostname } from 'node:os';
import { EVENT_STREAM, withScope, type Logger, type Redis, type StreamEvent } from '@pathway/kit';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { createDeliveries, endpointsFor, forgetOldDeliveries, stalePendingDeliveries } from '../data/webhooks.ts';
import { deliverableEvent, webhookBody } from './envelope.ts';
import type { WebhookQueue } from './queue.ts';

/** One consumer group for every identity instance: each event is fanned out by exactly one of them. */
export const WEBHOOK_GROUP = 'identity-webhooks';
const BLOCK_MS = 2_000;
const BATCH = 100;
const CONSUMER_FORGET_MS = 86_400_000;

type Entry = [string, string[] | null];

/**
 * Reads `pathway:events` through a Redis consumer group, writes one delivery row per matching
 * endpoint (idempotent), enqueues their jobs, then acknowledges the event. A crash before XACK
 * leaves the entry pending; XAUTOCLAIM hands it to a live instance, and the rows' uniqueness keeps it
 * from being delivered twice.
 */
export class WebhookDispatcher {
  private readonly consumer = `${hostname()}-${process.pid}`;
  private running = false;
  private loop: Promise<void> | null = null;
  private nextMaintenance = 0;

  /**
   * `blocking` must be a connection of its own: XREADGROUP BLOCK holds it. Entries another (crashed)
   * instance read but never acknowledged are taken over once idle for `claimIdleMs`.
   */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly redis: Redis,
    private readonly blocking: Redis,
    private readonly queue: WebhookQueue,
    private readonly log: Logger,
    private readonly claimIdleMs: number,
  ) {}

  async start(): Promise<void> {
    await this.ensureGroup();
    this.running = true;
    this.loop = this.readForever();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.blocking.disconnect();
    await this.loop?.catch(() => {});
  }

  /** Created at `$` on first start: webhooks begin with the events after it; later starts keep the group's position. */
  private async ensureGroup(): Promise<void> {
    await this.redis.xgroup('CREATE', EVENT_STREAM, WEBHOOK_GROUP, '$', 'MKSTREAM').catch((error: Error) => {
      if (!error.message.includes('BUSYGROUP')) throw error;
    });
  }

  private async readForever(): Promise<void> {
    while (this.running) {
      try {
        if (Date.now() >= this.nextMaintenance) await this.maintain();
        const result = (await this.blocking.xreadgroup(
          'GROUP',
          WEBHOOK_GROUP,
          this.consumer,
          'COUNT',
          BATCH,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          EVENT_STREAM,
          '>',
        )) as [string, Entry[]][] | null;
        for (const [, entries] of result ?? []) for (const entry of entries) await this.handle(entry);
      } catch (error) {
        if (!this.running) return;
        this.log.warn({ err: error }, 'webhook dispatcher failed; retrying');
        // The stream (and with it the group) is gone, e.g. Redis was emptied: start again from now.
        if (error instanceof Error && error.message.includes('NOGROUP')) await this.ensureGroup().catch(() => {});
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** Fans one entry out and acknowledges it; on failure it stays pending and is reclaimed later. */
  private async handle([id, fields]: Entry): Promise<void> {
    const event = deliverableEvent(id, fields);
    if (event) await this.queue.enqueue(await withScope(this.prisma, 'service', (tx) => this.deliveriesOf(tx, event)));
    await this.redis.xack(EVENT_STREAM, WEBHOOK_GROUP, id);
  }

  private async deliveriesOf(tx: Prisma.TransactionClient, event: StreamEvent) {
    const endpoints = await endpointsFor(tx, { tenantId: event.tenantId, type: event.type, facilityId: event.facilityId ?? null });
    return endpoints.length ? createDeliveries(tx, event, endpoints, webhookBody(event)) : [];
  }

  /** Takes over entries left unacknowledged by dead instances, re-enqueues deliveries whose job was lost, and tidies up. */
  private async maintain(): Promise<void> {
    this.nextMaintenance = Date.now() + Math.min(30_000, this.claimIdleMs / 2);
    let cursor = '0-0';
    do {
      const [next, entries] = (await this.redis.xautoclaim(
        EVENT_STREAM,
        WEBHOOK_GROUP,
        this.consumer,
        this.claimIdleMs,
        cursor,
        'COUNT',
        BATCH,
      )) as [string, Entry[]];
      for (const entry of entries) await this.handle(entry);
      cursor = next;
    } while (cursor !== '0-0');
    const stale = await withScope(this.prisma, 'service', (tx) => stalePendingDeliveries(tx, new Date(Date.now() - this.claimIdleMs), 500));
    await this.queue.enqueue(stale);
    await withScope(this.prisma, 'service', (tx) => forgetOldDeliveries(tx));
    await this.forgetGoneConsumers();
  }

  /** Every process start joins as a new consumer: forget those idle for a day with nothing pending, so the group stays small. */
  private async forgetGoneConsumers(): Promise<void> {
    const consumers = (await this.redis.xinfo('CONSUMERS', EVENT_STREAM, WEBHOOK_GROUP)) as (string | number)[][];
    for (const fields of consumers) {
      const info = Object.fromEntries(fields.flatMap((v, i) => (i % 2 ? [] : [[v, fields[i + 1]]])));
      if (info.name !== this.consumer && info.pending === 0 && Number(info.idle) > CONSUMER_FORGET_MS)
        await this.redis.xgroup('DELCONSUMER', EVENT_STREAM, WEBHOOK_GROUP, String(info.name));
    }
  }
}
