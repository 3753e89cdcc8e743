import { type Authed, scopedDb, type BaseContext, type DataContext, type SubgraphDeps } from '@pathway/kit';
import type { Prisma, PrismaClient } from './generated/prisma/client.ts';
import type { LearningEnv } from './env.ts';
import type { LearningJobs } from './jobs.ts';
import { identityDirectory, type PersonDirectory } from './sync/people.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import { providerSettings, type ProviderSettings } from './providers/settings.ts';

export type LearningContext = DataContext<Prisma.TransactionClient, Loaders> & {
  /** Provider credentials' key ring and network policy (PROVIDER_* settings). */
  providers: ProviderSettings;
  /** Who provider people are in Pathway (asked of identity). */
  directory: PersonDirectory;
  jobs: LearningDeps['jobs'];
  /** The subgraph's Mongo database (open-content activity, the category tree). */
  mongo: LearningDeps['mongo']['db'];
};

export type LearningDeps = SubgraphDeps<PrismaClient, LearningEnv, LearningJobs>;

const settingsOf = new WeakMap<object, ProviderSettings>();

export function createContext(base: BaseContext, deps: LearningDeps): LearningContext {
  const db = scopedDb(deps.prisma, base.identity ?? 'anonymous');
  let providers = settingsOf.get(deps.config);
  if (!providers) settingsOf.set(deps.config, (providers = providerSettings(deps.config)));
  const directory = identityDirectory(deps.config.IDENTITY_URL, deps.config.INTERNAL_JWT_SECRET);
  const makeLoaders = () => createLoaders(db, base.identity, deps.mongo.db);
  return {
    ...base,
    db,
    loaders: makeLoaders(),
    makeLoaders,
    events: deps.events,
    providers,
    directory,
    jobs: deps.jobs,
    mongo: deps.mongo.db,
  };
}

/** What resolvers see (identity set: see the kit's `Authed`); the generated resolver types use it. */
export type ResolverContext = Authed<LearningContext>;
