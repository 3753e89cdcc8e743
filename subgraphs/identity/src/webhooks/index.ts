import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { type BackgroundWorker, connectRedis, type JobDefinitions, type SubgraphDeps } from '@pathway/kit';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { identityEnv } from '../env.ts';
import { integrationKeyRing } from '../integration-secrets.ts';
import { WebhookDispatcher } from './dispatcher.ts';
import { webhookQueue, type IdentityJobs } from './queue.ts';
import { deliveryJob } from './worker.ts';

type Deps = SubgraphDeps<PrismaClient, typeof identityEnv, IdentityJobs>;

/** How many deliveries one identity instance attempts at once. */
const CONCURRENCY = 10;

/** Identity's jobs: webhook delivery attempts, run by the kit's worker once identity is serving. */
export function identityJobs({ prisma, config }: Deps): JobDefinitions<IdentityJobs> {
  const ca = config.WEBHOOK_CA_FILE ? [...rootCertificates, readFileSync(config.WEBHOOK_CA_FILE, 'utf8')] : undefined;
  return {
    'webhook.deliver': deliveryJob(prisma, {
      secretKeys: integrationKeyRing(config),
      attempts: config.WEBHOOK_MAX_ATTEMPTS,
      backoffMs: config.WEBHOOK_BACKOFF_MS,
      concurrency: CONCURRENCY,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      ca,
      allowPrivateNetworks: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    }),
  };
}

/** The fan-out from the event stream to delivery jobs (its blocking read holds a connection of its own). */
export function identityWorkers(deps: Deps): BackgroundWorker[] {
  const blocking = connectRedis(deps.config.REDIS_URL, 'identity-webhooks');
  return [new WebhookDispatcher(deps.prisma, deps.redis, blocking, webhookQueue(deps.jobs), deps.log, deps.config.WEBHOOK_CLAIM_IDLE_MS)];
}
