import { openSecret, type JobDefinition, type JobRun, type KeyRing, withScope } from '@pathway/kit';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { postWebhook, type PostOptions } from './http.ts';
import { deliveryKey, type DeliveryJob } from './queue.ts';
import { signatureHeader } from './signature.ts';

export interface WorkerSettings extends PostOptions {
  secretKeys: KeyRing;
  attempts: number;
  backoffMs: number;
  concurrency: number;
}

/**
 * Runs delivery attempts. Each attempt is recorded on the delivery row; a failure throws so the job
 * is retried with exponential backoff, and the last failure makes the row `dead` (the dead-letter list).
 */
export const deliveryJob = (prisma: PrismaClient, settings: WorkerSettings): JobDefinition<DeliveryJob> => ({
  attempts: settings.attempts,
  backoffMs: settings.backoffMs,
  key: deliveryKey,
  concurrency: settings.concurrency,
  run: (job, run) => attempt(prisma, settings, job, run),
});

/** Null when the stored secret no longer decrypts: retrying would not help. */
function secretOf(keys: KeyRing, ciphertext: string): string | null {
  try {
    return openSecret(keys, ciphertext);
  } catch {
    return null;
  }
}

async function attempt(prisma: PrismaClient, settings: WorkerSettings, job: DeliveryJob, run: JobRun): Promise<void> {
  const { attempt: number, lastAttempt: isLast } = run;
  const delivery = await withScope(prisma, 'service', (tx) =>
    tx.webhookDelivery.findUnique({ where: { id: job.deliveryId }, include: { endpoint: true } }),
  );
  if (!delivery || delivery.state !== 'pending') return; // delivered, dead or deleted meanwhile: nothing to do

  const record = (result: { ok: boolean; statusCode: number | null; error: string | null }, dead: boolean) =>
    withScope(prisma, 'service', (tx) =>
      tx.webhookDelivery.update({
        where: { id: delivery.id },
        data: {
          attempts: { increment: 1 },
          lastAttemptAt: new Date(),
          lastStatusCode: result.statusCode,
          lastError: result.error,
          state: result.ok ? 'delivered' : dead ? 'dead' : 'pending',
          deliveredAt: result.ok ? new Date() : null,
          // The kit's exponential backoff: delay · 2^(attempt − 1).
          nextAttemptAt: result.ok || dead ? null : new Date(Date.now() + settings.backoffMs * 2 ** (number - 1)),
        },
      }),
    );

  if (delivery.endpoint.status !== 'active') {
    await record({ ok: false, statusCode: null, error: 'endpoint disabled' }, true);
    return;
  }
  const secret = secretOf(settings.secretKeys, delivery.endpoint.secretCiphertext);
  if (secret === null) {
    await record(
      { ok: false, statusCode: null, error: 'the endpoint secret cannot be decrypted (its key left INTEGRATION_SECRET_KEYS?)' },
      true,
    );
    return;
  }
  const result = await postWebhook(
    delivery.endpoint.url,
    delivery.body,
    {
      // Signed at each attempt, so a retry after minutes still passes the receiver's freshness check.
      'pathway-signature': signatureHeader(secret, delivery.body),
      'pathway-event-id': delivery.eventId,
      'pathway-event-type': delivery.eventType,
      'pathway-delivery-id': delivery.id,
    },
    settings,
  );
  await record(result, !result.ok && isLast);
  // Thrown for the queue to schedule the next try; after the last one the row is dead and the job ends.
  if (!result.ok && !isLast) throw new Error(result.error ?? 'delivery failed');
}
