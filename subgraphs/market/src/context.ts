import { type Authed, scopedDb, type BaseContext, type DataContext, type SubgraphDeps } from '@pathway/kit';
import type { Prisma, PrismaClient } from './generated/prisma/client.ts';
import type { MongoDb } from './data/assets.ts';
import { caseloadReader } from './caseloads.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import type { marketEnv } from './env.ts';
import type { MarketJobs } from './jobs.ts';

export interface MarketContext extends DataContext<Prisma.TransactionClient, Loaders> {
  /** The pathway_market Mongo database. No RLS there: go through data/assets.ts, which scopes by identity. */
  mongo: MongoDb;
  /** How long a pending reservation request holds its period (RESERVATION_HOLD_HOURS). */
  reservationHoldHours: number;
  /** Reads the caller's caseload once (staff only: caseloads.ts), before a reservation read; the loaders call it too. */
  readCaseload: () => Promise<void>;
}

export function createContext(base: BaseContext, deps: SubgraphDeps<PrismaClient, typeof marketEnv, MarketJobs>): MarketContext {
  const db = scopedDb(deps.prisma, base.identity ?? 'anonymous');
  const mongo = deps.mongo.db;
  const readCaseload = caseloadReader(base.identity, base.references);
  const makeLoaders = () => createLoaders(db, mongo, base.identity, readCaseload);
  return {
    ...base,
    db,
    mongo,
    loaders: makeLoaders(),
    makeLoaders,
    events: deps.events,
    reservationHoldHours: deps.config.RESERVATION_HOLD_HOURS,
    readCaseload,
  };
}

/** What resolvers see (identity set: see the kit's `Authed`); the generated resolver types use it. */
export type ResolverContext = Authed<MarketContext>;
