import { runSubgraph } from '@pathway/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { createContext } from './context.ts';
import { ensureActivityIndexes } from './data/activity.ts';
import { ensureUserInsightsIndexes } from './data/user-insights.ts';
import { behaviorEnv } from './env.ts';
import { behaviorJobs, requeueCommunications } from './jobs.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

runSubgraph({
  name: 'behavior',
  env: behaviorEnv,
  prisma: (adapter, transactionOptions) => new PrismaClient({ adapter, transactionOptions }),
  resolvers,
  permissions,
  context: createContext,
  jobs: behaviorJobs,
  onStart: async (deps) => {
    await ensureActivityIndexes(deps.mongo.db);
    await ensureUserInsightsIndexes(deps.mongo.db);
    await requeueCommunications(deps);
  },
});
