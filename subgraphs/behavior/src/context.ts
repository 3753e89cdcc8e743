import { type Authed, scopedDb, type BaseContext, type DataContext, type SubgraphDeps } from '@pathway/kit';
import type { Prisma, PrismaClient } from './generated/prisma/client.ts';
import { studentReachSettings } from './access.ts';
import { createLoaders, type Loaders } from './loaders.ts';

export type BehaviorContext = DataContext<Prisma.TransactionClient, Loaders>;

export function createContext(base: BaseContext, deps: SubgraphDeps<PrismaClient>): BehaviorContext {
  // Besides tenant and reach, the student_caseload policy reads who is asking and how far their caseload goes.
  const db = scopedDb(deps.prisma, base.identity ?? 'anonymous', studentReachSettings(base.identity));
  return { ...base, db, loaders: createLoaders(db, base.identity), events: deps.events };
}

/** What resolvers see (identity set: see the kit's `Authed`); the generated resolver types use it. */
export type ResolverContext = Authed<BehaviorContext>;
