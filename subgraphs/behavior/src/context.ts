import { scopedDb, type BaseContext, type EventPublisher, type ScopedDb, type SubgraphDeps } from '@pathway/kit';
import type { Prisma, PrismaClient } from './generated/prisma/client.ts';
import { createLoaders, type Loaders } from './loaders.ts';

export interface BehaviorContext extends BaseContext {
  /** This request's database: every `run` is scoped to the caller (Row-Level Security). */
  db: ScopedDb<Prisma.TransactionClient>;
  loaders: Loaders;
  events: EventPublisher;
}

export function createContext(base: BaseContext, deps: SubgraphDeps<PrismaClient>): BehaviorContext {
  const db = scopedDb(deps.prisma, base.identity ?? 'anonymous');
  return { ...base, db, loaders: createLoaders(db, base.identity), events: deps.events };
}
