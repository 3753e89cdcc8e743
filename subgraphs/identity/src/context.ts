import {
  type Authed,
  type BaseContext,
  type DataContext,
  EndedSessions,
  type KeyRing,
  type Redis,
  scopedDb,
  type SubgraphDeps,
} from '@pathway/kit';
import type { Db } from 'mongodb';
import type { Prisma, PrismaClient } from './generated/prisma/client.ts';
import { SessionService } from './auth/sessions.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import type { identityEnv } from './env.ts';
import { integrationKeyRing } from './integration-secrets.ts';
import { webhookQueue, type IdentityJobs, type WebhookQueue } from './webhooks/queue.ts';

export interface IdentityContext extends DataContext<Prisma.TransactionClient, Loaders> {
  sessions: SessionService;
  redis: Redis;
  /** Identity's Mongo database (profiles). */
  mongo: Db;
  /** Seals integration and webhook secrets (kit secret-box). */
  integrationKeys: KeyRing;
  /** Schedules webhook deliveries (replays). */
  webhookQueue: WebhookQueue;
  /** Whether endpoints may point at loopback/private addresses (WEBHOOK_ALLOW_PRIVATE_NETWORKS). */
  webhookAllowPrivateNetworks: boolean;
}

export function createContext(base: BaseContext, deps: SubgraphDeps<PrismaClient, typeof identityEnv, IdentityJobs>): IdentityContext {
  const db = scopedDb(deps.prisma, base.identity ?? 'anonymous');
  const sessions = new SessionService(
    deps.prisma,
    {
      accessSecret: deps.config.ACCESS_JWT_SECRET,
      accessTtlSeconds: deps.config.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: deps.config.REFRESH_TOKEN_TTL_SECONDS,
      lockout: {
        maxFailures: deps.config.LOGIN_MAX_FAILURES,
        windowSeconds: deps.config.LOGIN_FAILURE_WINDOW_SECONDS,
        lockoutSeconds: deps.config.LOGIN_LOCKOUT_SECONDS,
      },
    },
    new EndedSessions(deps.redis),
  );
  const makeLoaders = () => createLoaders(db, deps.mongo.db, base.identity);
  return {
    ...base,
    db,
    loaders: makeLoaders(),
    makeLoaders,
    sessions,
    events: deps.events,
    redis: deps.redis,
    mongo: deps.mongo.db,
    integrationKeys: integrationKeyRing(deps.config),
    webhookQueue: webhookQueue(deps.jobs),
    webhookAllowPrivateNetworks: deps.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
  };
}

/** What resolvers see (identity set: see the kit's `Authed`); the generated resolver types use it. */
export type ResolverContext = Authed<IdentityContext>;
