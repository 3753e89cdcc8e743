import { runSubgraph } from '@pathway/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { createContext } from './context.ts';
import { ensureContentActivityIndexes } from './data/content-activity.ts';
import { ensureCategoryIndexes } from './data/categories.ts';
import { learningEnv } from './env.ts';
import { permissions } from './permissions.ts';
import { providerSettings } from './providers/settings.ts';
import { learningJobs, requeueTasks } from './jobs.ts';
import { resolvers } from './resolvers/index.ts';
import { resealCredentials } from './writes/reseal.ts';

runSubgraph({
  name: 'learning',
  env: learningEnv,
  // Belt and braces: the encrypted access key is never read by the API's queries either.
  prisma: (adapter, transactionOptions) =>
    new PrismaClient({ adapter, transactionOptions, omit: { providerPlatform: { accessKeyEncrypted: true } } }),
  resolvers,
  permissions,
  context: createContext,
  jobs: learningJobs,
  onStart: async (deps) => {
    await ensureContentActivityIndexes(deps.mongo.db);
    await ensureCategoryIndexes(deps.mongo.db);
    // Key rotation: credentials sealed with an older key are sealed again with the current one.
    await resealCredentials(deps.prisma, providerSettings(deps.config).ring, { log: deps.log });
    await requeueTasks(deps);
  },
});
