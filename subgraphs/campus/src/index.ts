import { runSubgraph } from '@pathway/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { createContext } from './context.ts';
import { campusEnv } from './env.ts';
import { campusJobs } from './jobs.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

runSubgraph({
  name: 'campus',
  env: campusEnv,
  prisma: (adapter, transactionOptions) => new PrismaClient({ adapter, transactionOptions }),
  resolvers,
  permissions,
  // Scheduled → Active on the start date (seed 003's activate_scheduled_classes).
  jobs: campusJobs,
  context: createContext,
});
