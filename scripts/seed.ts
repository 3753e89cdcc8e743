// `pnpm seed --scale N [--seed S] [--database URL] [--mongo URL] [--mongo-scale M]`: fills a
// database of its own with the generated world (scripts/seed/world.ts), for benchmarks at scale.
// The database (default: `pathway_seed` on DATABASE_URL's server) is created and migrated when
// missing; one that already holds this seed is refused, so test or demo data is never touched.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { databaseUrl } from '@pathway/devstack';
import pg from 'pg';
import { APP_ROLE, migrateAll } from './database.ts';
import { seedScale } from './seed/index.ts';
import { Random } from './seed/random.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string' },
    seed: { type: 'string', default: '1' },
    database: { type: 'string' },
    mongo: { type: 'string' },
    'mongo-scale': { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(`seed: ${message}`);
  process.exit(2);
}

const scale = Number(values.scale);
const seed = Number(values.seed);
if (!values.scale || !(scale > 0) || scale > 100) fail('--scale must be a number above 0 and at most 100 (1 ≈ one tenant of 5,000 people)');
if (!Number.isInteger(seed)) fail('--seed must be an integer');
const mongoScale = values['mongo-scale'] === undefined ? Math.min(scale, 0.1) : Number(values['mongo-scale']);
if (!(mongoScale >= 0)) fail('--mongo-scale must be a number of at least 0');
const server = values.database ?? process.env.DATABASE_URL;
if (!server) fail('give --database postgresql://… (or DATABASE_URL, whose server gets a database pathway_seed)');
const target = values.database ?? databaseUrl(server, 'pathway_seed');
const mongoUrl = values.mongo ?? process.env.MONGODB_URL;

/** Creates the database and the application role when missing (an existing role's password stays as it is). */
async function prepare(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new pg.Client({ connectionString: databaseUrl(url, 'postgres') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    const password = process.env.APP_DB_PASSWORD ?? randomBytes(18).toString('base64url');
    await admin.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
        CREATE ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD ${admin.escapeLiteral(password)};
      END IF; END $$`);
    await admin.query(`GRANT CONNECT ON DATABASE "${name.replaceAll('"', '""')}" TO ${APP_ROLE}`);
  } finally {
    await admin.end();
  }
}

async function alreadySeeded(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM identity.tenants WHERE id = $1', [Random.for(seed, 0, 'tenant').uuid()]);
    return Boolean(rowCount);
  } finally {
    await client.end();
  }
}

const started = performance.now();
await prepare(target);
await migrateAll(target, (line) => console.log(line));
if (await alreadySeeded(target)) fail(`${new URL(target).pathname.slice(1)} already holds seed ${seed}: pick another --database or --seed`);
if (!mongoUrl) console.log('no --mongo or MONGODB_URL: the MongoDB documents (activity log, digital assets) are left out');
const counts = await seedScale({ databaseUrl: target, mongoUrl, scale, seed, mongoScale });
const width = Math.max(...Object.keys(counts).map((k) => k.length));
for (const [table, n] of Object.entries(counts)) console.log(`  ${table.padEnd(width)} ${n.toLocaleString('en-US').padStart(12)}`);
const rows = Object.values(counts).reduce((a, b) => a + b, 0);
console.log(
  `seed ${seed}, scale ${scale}: ${rows.toLocaleString('en-US')} rows and documents in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
