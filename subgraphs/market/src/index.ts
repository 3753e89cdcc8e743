import { runSubgraph } from '@pathway/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { createContext } from './context.ts';
import { marketEnv } from './env.ts';
import { marketJobs } from './jobs.ts';
import { ASSETS_COLLECTION, ensureAssetIndexes } from './data/assets.ts';
import { ensureSpaceIndexes } from './data/spaces.ts';
import { ensureBusinessModelIndexes } from './data/business-models.ts';
import { ensureProjectIndexes, PROJECTS_COLLECTION } from './data/projects.ts';
import { ensureRecommendationIndexes } from './data/recommendations.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

runSubgraph({
  name: 'market',
  env: marketEnv,
  prisma: (adapter, transactionOptions) => new PrismaClient({ adapter, transactionOptions }),
  resolvers,
  permissions,
  // Asset transfers and project changes store their events on the document (MongoDB has no transaction with an outbox here).
  documentOutboxes: [ASSETS_COLLECTION, PROJECTS_COLLECTION],
  async onStart(deps) {
    await ensureAssetIndexes(deps.mongo.db);
    await ensureSpaceIndexes(deps.mongo.db);
    await ensureBusinessModelIndexes(deps.mongo.db);
    await ensureProjectIndexes(deps.mongo.db);
    await ensureRecommendationIndexes(deps.mongo.db);
  },
  // Lapsed reservation holds are swept on a schedule.
  jobs: marketJobs,
  context: createContext,
});
