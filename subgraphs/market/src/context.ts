import { type Authed, scopedDb, type BaseContext, type DataContext, type SubgraphDeps } from '@pathway/kit';
import type { Prisma, PrismaClient } from './generated/prisma/client.ts';
import type { MongoDb } from './data/assets.ts';
import { createLoaders, type Loaders } from './loaders.ts';

export interface MarketContext extends DataContext<Prisma.TransactionClient, Loaders> {
  /** The pathway_market Mongo database. No RLS there: go through data/assets.ts, which scopes by identity. */
  mongo: MongoDb;
}

export function createContext(base: BaseContext, deps: SubgraphDeps<PrismaClient>): MarketContext {
  const db = scopedDb(deps.prisma, base.identity ?? 'anonymous');
  const mongo = deps.mongo.db;
  return { ...base, db, mongo, loaders: createLoaders(db, mongo, base.identity), events: deps.events };
}

/** What resolvers see (identity set: see the kit's `Authed`); the generated resolver types use it. */
export type ResolverContext = Authed<MarketContext>;
