import { connectMongo, pgAdapter } from '@pathway/kit';
import pg from 'pg';
import { PrismaClient } from '../../subgraphs/identity/src/generated/prisma/client.ts';
import { syncPermissionCatalog } from '../../subgraphs/identity/src/data/rbac.ts';
import { bulkInsert } from './bulk.ts';
import { generateWorld, type Counts, type WorldOptions } from './world.ts';

export interface SeedOptions extends Omit<WorldOptions, 'roleIds'> {
  /** An owner/admin connection to the (already migrated) database. */
  databaseUrl: string;
  /** Where the MongoDB documents go; none: they are left out. */
  mongoUrl?: string;
}

/**
 * Writes the generated world (world.ts) into a migrated database: each table of each tenant in one
 * transaction with that tenant's Row-Level Security scope (`app.tenant_id`, as kit `withScope`
 * sets it), in multi-row INSERTs; MongoDB documents through the driver. Then ANALYZE, so the
 * planner knows the new sizes. Returns the counts.
 */
export async function seedScale(opts: SeedOptions): Promise<Counts> {
  const client = new pg.Client({ connectionString: opts.databaseUrl });
  await client.connect();
  const mongo = opts.mongoUrl ? await connectMongo(opts.mongoUrl, 'pathway_identity') : null;
  try {
    await syncRoles(opts.databaseUrl);
    const { rows: roles } = await client.query<{ id: string; name: string }>('SELECT id, name FROM identity.roles');
    const counts = await generateWorld(
      { ...opts, roleIds: Object.fromEntries(roles.map((r) => [r.name, r.id])) },
      {
        async rows(schema, table, tenantId, rows) {
          await client.query('BEGIN');
          try {
            await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
            await bulkInsert(client, schema, table, rows);
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          }
        },
        async documents(subgraph, collection, docs) {
          if (!mongo) return;
          const target = mongo.client.db(`pathway_${subgraph}`).collection(collection);
          for (let i = 0; i < docs.length; i += 1_000) await target.insertMany(docs.slice(i, i + 1_000), { ordered: true });
        },
      },
    );
    if (!mongo) for (const key of Object.keys(counts)) if (key.startsWith('mongo ')) counts[key] = 0;
    await client.query('ANALYZE');
    return counts;
  } finally {
    await client.end();
    await mongo?.close();
  }
}

/** The role catalog, as identity writes it at start (a freshly migrated database has none yet). */
async function syncRoles(databaseUrl: string): Promise<void> {
  const prisma = new PrismaClient({ adapter: pgAdapter(databaseUrl, 'identity', 1) });
  try {
    await syncPermissionCatalog(prisma);
  } finally {
    await prisma.$disconnect();
  }
}
