import { connectMongo } from '@pathway/kit';
import { seedBehaviorDemo } from './behavior.ts';
import { seedCampusDemo } from './campus.ts';
import { seedIdentityDemo } from './identity.ts';
import { seedLearningDemo } from './learning.ts';
import { seedMarketDemo } from './market.ts';

/**
 * Loads the demo world into every subgraph (idempotent). Each subgraph's documents go to its own
 * Mongo database. `integratorKey`: the demo integrator gets its fixed key (not in production).
 */
export async function seedDemo(databaseUrl: string, mongoUrl: string, opts: { integratorKey: boolean }): Promise<void> {
  const mongo = await connectMongo(mongoUrl, 'pathway_identity');
  try {
    const db = (name: string) => mongo.client.db(`pathway_${name}`);
    await seedIdentityDemo(databaseUrl, opts);
    await Promise.all([
      seedCampusDemo(databaseUrl, db('campus')),
      seedLearningDemo(databaseUrl, db('learning')),
      seedBehaviorDemo(databaseUrl, db('behavior')),
      seedMarketDemo(databaseUrl, db('market')),
    ]);
  } finally {
    await mongo.close();
  }
}
