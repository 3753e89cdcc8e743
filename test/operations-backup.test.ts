// Backups, dumped and restored for real: `pnpm backup dump` of the test stack's PostgreSQL (pg_dump)
// and MongoDB (Extended JSON; here the project's mongo-wire stand-in), `pnpm backup restore` into a
// fresh database and a fresh MongoDB server, `pnpm migrate` there (role grants; nothing to migrate),
// then identity and market subgraphs and a gateway over the restored copy read back what the
// original reads: a person from PostgreSQL, a digital asset from MongoDB.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase, resolveMongo, type ResolvedMongo } from '@pathway/devstack';
import { appDatabaseUrl } from '../scripts/database.ts';
import { gql } from './support/client.ts';
import { startGateway, startSubgraph, subgraphEnv, type Service } from './support/processes.ts';
import { seed } from './support/seed.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'pathway-backup-'));
const restoredName = `pathway_restore_${process.pid}`;
const assetId = randomUUID();
let restoredUrl: string;
let restoredMongo: ResolvedMongo;
let mongo: MongoClient;
const started: Service[] = [];

/** Runs a repository script as a person would (`pnpm backup …`, `pnpm migrate`), with `env` only. */
const script = (file: string, args: string[], env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', file, ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env } });

beforeAll(async () => {
  restoredUrl = await createDatabase(inject('adminDatabaseUrl'), restoredName);
  restoredMongo = await resolveMongo({ preferMemoryServer: false });
  mongo = await MongoClient.connect(inject('mongoUrl'));
}, 120_000);
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  await mongo
    ?.db('pathway_market')
    .collection('digital_assets')
    .deleteOne({ _id: assetId as never });
  await mongo?.close();
  await restoredMongo?.stop();
  await dropDatabase(inject('adminDatabaseUrl'), restoredName).catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

async function rlsTables(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relrowsecurity AND c.relforcerowsecurity ORDER BY 1`,
    );
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

const READ = `query OpsBackupRead($asset: UUID!) { me { id displayName } digitalAsset(id: $asset) { id name owner { id } } }`;

describe('backups', () => {
  it(
    'a dump restored into a fresh database and MongoDB reads back the same through the gateway (mongo-wire stand-in)',
    { timeout: 480_000 },
    async () => {
      const tenant = await seed.tenant();
      const admin = await (await tenant.facility()).facilityAdmin();
      const { accessToken: token, userId } = await admin.api();
      await mongo
        .db('pathway_market')
        .collection('digital_assets')
        .insertOne({
          _id: assetId as never,
          tenantId: tenant.id,
          name: 'Backup check token',
          creatorId: userId,
          ownerId: userId,
          assetType: 'badge',
          metadata: { attributes: [] },
          isListed: false,
          createdAt: new Date(),
          updatedAt: new Date(),
        });
      const original = await gql(READ, { asset: assetId }, { token });
      expect(original.errors).toBeUndefined();
      expect(original.data).toMatchObject({ me: { id: userId }, digitalAsset: { id: assetId, name: 'Backup check token' } });

      await script('scripts/backup.ts', ['dump', dir], { DATABASE_URL: inject('adminDatabaseUrl'), MONGODB_URL: inject('mongoUrl') });
      await script('scripts/backup.ts', ['restore', dir], { DATABASE_URL: restoredUrl, MONGODB_URL: restoredMongo.url });
      await script('scripts/migrate.ts', [], { DATABASE_URL: restoredUrl, APP_DB_PASSWORD: inject('secrets').APP_DB_PASSWORD });

      const onRestored = {
        DATABASE_URL: appDatabaseUrl(restoredUrl, inject('secrets').APP_DB_PASSWORD),
        MONGODB_URL: restoredMongo.url,
      };
      const identity = await startSubgraph('identity', onRestored);
      started.push(identity);
      const market = await startSubgraph('market', { ...onRestored, IDENTITY_URL: identity.url });
      started.push(market);
      const gateway = await startGateway(subgraphEnv({ identity: identity.url, market: market.url }));
      started.push(gateway);

      const restored = await gql(READ, { asset: assetId }, { token, url: gateway.url });
      expect(restored.errors).toBeUndefined();
      expect(restored.data).toEqual(original.data);
      // Row-Level Security came back with the tables: the same tables have it enabled and forced.
      expect(await rlsTables(restoredUrl)).toEqual(await rlsTables(inject('adminDatabaseUrl')));
      expect((await rlsTables(restoredUrl)).length).toBeGreaterThan(10);
    },
  );
});
