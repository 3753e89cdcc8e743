import { type Authed, scopedDb, type BaseContext, type DataContext, type SubgraphDeps } from '@pathway/kit';
import type { Prisma, PrismaClient } from './generated/prisma/client.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import type { campusEnv } from './env.ts';
import type { CampusJobs } from './jobs.ts';

export type CampusContext = DataContext<Prisma.TransactionClient, Loaders>;

export function createContext(base: BaseContext, deps: SubgraphDeps<PrismaClient, typeof campusEnv, CampusJobs>): CampusContext {
  const db = scopedDb(deps.prisma, base.identity ?? 'anonymous');
  const makeLoaders = () => createLoaders(db, base.identity);
  return { ...base, db, loaders: makeLoaders(), makeLoaders, events: deps.events };
}

/** What resolvers see (identity set: see the kit's `Authed`); the generated resolver types use it. */
export type ResolverContext = Authed<CampusContext>;
