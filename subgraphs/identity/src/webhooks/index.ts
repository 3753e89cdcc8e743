import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { connectRedis, type SubgraphDeps } from '@pathway/kit';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { integrationKey } from '../accounts/secrets.ts';
import type { identityEnv } from '../env.ts';
import { WebhookDispatcher } from './dispatcher.ts';
import { WebhookQueue } from './queue.ts';
import { startDeliveryWorker } from './worker.ts';

type Deps = SubgraphDeps<PrismaClient, typeof identityEnv>;
type Config = Deps['config'];

/** How many deliveries one identity instance attempts at once. */
const CONCURRENCY = 10;

export const createWebhookQueue = (config: Config) =>
  new WebhookQueue(config.REDIS_URL, { attempts: config.WEBHOOK_MAX_ATTEMPTS, backoffMs: config.WEBHOOK_BACKOFF_MS });

/** Starts the fan-out from the event stream and the delivery worker; returns their stop. */
export async function startWebhooks(deps: Deps, queue: WebhookQueue): Promise<() => Promise<void>> {
  const { config, log } = deps;
  const ca = config.WEBHOOK_CA_FILE ? [...rootCertificates, readFileSync(config.WEBHOOK_CA_FILE, 'utf8')] : undefined;
  const worker = startDeliveryWorker(
    deps.prisma,
    {
      redisUrl: config.REDIS_URL,
      secretKey: integrationKey(config),
      backoffMs: config.WEBHOOK_BACKOFF_MS,
      concurrency: CONCURRENCY,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      ca,
      allowPrivateNetworks: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    },
    log,
  );
  const dispatcher = new WebhookDispatcher(
    deps.prisma,
    deps.redis,
    connectRedis(config.REDIS_URL, 'identity-webhooks'),
    queue,
    log,
    config.WEBHOOK_CLAIM_IDLE_MS,
  );
  await dispatcher.start();
  return async () => {
    await dispatcher.stop();
    await worker.close();
    await queue.close();
  };
}
