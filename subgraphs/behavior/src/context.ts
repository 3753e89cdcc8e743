import { type Authed, readUpload, scopedDb, type BaseContext, type DataContext, type SubgraphDeps } from '@pathway/kit';
import type { Prisma, PrismaClient } from './generated/prisma/client.ts';
import { studentReachSettings } from './access.ts';
import type { BehaviorEnv } from './env.ts';
import type { BehaviorJobs } from './jobs.ts';
import { createLoaders, type Loaders } from './loaders.ts';

export type BehaviorDeps = SubgraphDeps<PrismaClient, BehaviorEnv, BehaviorJobs>;

export type BehaviorContext = DataContext<Prisma.TransactionClient, Loaders> & {
  /** To send the messages a write queued (communication.send), once it has committed. */
  jobs: BehaviorDeps['jobs'];
  /** The subgraph's Mongo database (user_activity, user_insights). */
  mongo: BehaviorDeps['mongo']['db'];
  /** Files the gateway staged for this caller (kit uploads.ts), by uploadId. */
  uploads: (uploadId: string) => Promise<Buffer | null>;
};

export function createContext(base: BaseContext, deps: BehaviorDeps): BehaviorContext {
  // Besides tenant and reach, the student_caseload policy reads who is asking and how far their caseload goes.
  const db = scopedDb(deps.prisma, base.identity ?? 'anonymous', studentReachSettings(base.identity));
  const makeLoaders = () => createLoaders(db, base.identity, deps.mongo.db);
  const uploads = (uploadId: string) =>
    base.identity ? readUpload(deps.redis, base.identity, 'student-imports', uploadId) : Promise.resolve(null);
  return { ...base, db, loaders: makeLoaders(), makeLoaders, events: deps.events, jobs: deps.jobs, mongo: deps.mongo.db, uploads };
}

/** What resolvers see (identity set: see the kit's `Authed`); the generated resolver types use it. */
export type ResolverContext = Authed<BehaviorContext>;
