import { runSubgraph, withScope } from '@pathway/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { studentReachSettings } from './access.ts';
import { createContext } from './context.ts';
import { caseloadRefs } from './data/caseloads.ts';
import { ensureActivityIndexes } from './data/activity.ts';
import { ensureUserInsightsIndexes } from './data/user-insights.ts';
import { behaviorEnv } from './env.ts';
import { behaviorJobs, requeueCommunications, requeueImports } from './jobs.ts';
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
  // Other subgraphs learn a staff member's caseload here (kit references.ts), under the same RLS settings as requests.
  lookups: (deps) => ({
    caseloads: (identity, ids) => withScope(deps.prisma, identity, (tx) => caseloadRefs(tx, identity, ids), studentReachSettings(identity)),
  }),
  onStart: async (deps) => {
    await ensureActivityIndexes(deps.mongo.db);
    await ensureUserInsightsIndexes(deps.mongo.db);
    await requeueCommunications(deps);
    await requeueImports(deps);
  },
});
