import { scopedDb, type BaseContext, type EventPublisher, type Redis, type ScopedDb, type SubgraphDeps } from '@pathway/kit';
import type { Prisma, PrismaClient } from './generated/prisma/client.ts';
import { SessionService } from './auth/sessions.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import type { identityEnv } from './env.ts';

export interface IdentityContext extends BaseContext {
  /** This request's database: every `run` is scoped to the caller (Row-Level Security). */
  db: ScopedDb<Prisma.TransactionClient>;
  loaders: Loaders;
  sessions: SessionService;
  events: EventPublisher;
  redis: Redis;
}

export function createContext(base: BaseContext, deps: SubgraphDeps<PrismaClient, typeof identityEnv>): IdentityContext {
  const db = scopedDb(deps.prisma, base.identity ?? 'anonymous');
  const sessions = new SessionService(deps.prisma, {
    accessSecret: deps.config.ACCESS_JWT_SECRET,
    accessTtlSeconds: deps.config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTtlSeconds: deps.config.REFRESH_TOKEN_TTL_SECONDS,
  });
  return { ...base, db, loaders: createLoaders(db), sessions, events: deps.events, redis: deps.redis };
}
