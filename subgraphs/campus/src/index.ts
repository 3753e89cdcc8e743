import { runSubgraph, withScope } from '@pathway/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { createContext } from './context.ts';
import { facilityProgramRefs, facilityRefs } from './data/facilities.ts';
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
  // Other subgraphs check the facilities their writes name here (kit references.ts).
  lookups: (deps) => ({
    facilities: (identity, ids) => withScope(deps.prisma, identity, (tx) => facilityRefs(tx, identity, ids)),
    facilityPrograms: (identity, ids) => withScope(deps.prisma, identity, (tx) => facilityProgramRefs(tx, identity, ids)),
  }),
  // Scheduled → Active on the start date (seed 003's activate_scheduled_classes).
  jobs: campusJobs,
  context: createContext,
});
