// Prepares a Postgres database for Pathway: the application role, then every subgraph's migrations.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { SUBGRAPHS } from './subgraphs.ts';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;

/** The role the subgraphs connect as. Not a superuser and without BYPASSRLS, so Row-Level Security applies to it. */
export const APP_ROLE = 'pathway_app';

/** The URL the subgraphs use: APP_DATABASE_URL, or the admin URL with the application role's credentials. */
export function appDatabaseUrl(adminUrl: string, password: string): string {
  if (process.env.APP_DATABASE_URL) return process.env.APP_DATABASE_URL;
  const url = new URL(adminUrl);
  url.username = APP_ROLE;
  url.password = password;
  return url.toString();
}

export async function ensureAppRole(adminUrl: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const literal = client.escapeLiteral(password);
    await client.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
        CREATE ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD ${literal};
      ELSE
        ALTER ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD ${literal};
      END IF;
    END $$`);
    const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
    await client.query(`GRANT CONNECT ON DATABASE "${rows[0]!.db}" TO ${APP_ROLE}`);
  } finally {
    await client.end();
  }
}

/** `prisma migrate deploy` for each subgraph, each into its own Postgres schema. */
export async function migrateAll(adminUrl: string, log: (line: string) => void = () => {}): Promise<void> {
  const env = { ...process.env, DATABASE_URL: adminUrl, NODE_OPTIONS: `--require ${root}prisma/unref-timers.cjs` };
  // Prisma 6.19's CLI, kept for Migrate (prisma/migrate.config.ts says why).
  const cli = `${root}node_modules/prisma-migrate/build/index.js`;
  // One at a time: concurrent migrations of several schemas contend for the same catalog locks.
  for (const { name } of SUBGRAPHS) {
    const started = Date.now();
    if (await isUpToDate(adminUrl, name)) continue;
    try {
      await run(process.execPath, [cli, 'migrate', 'deploy', '--config', 'prisma/migrate.config.ts'], {
        cwd: root,
        env: { ...env, PATHWAY_MIGRATE_SUBGRAPH: name },
      });
    } catch (error) {
      const detail = (error as { stdout?: string; stderr?: string }).stderr || (error as { stdout?: string }).stdout || String(error);
      throw new Error(`migrations of ${name} failed:\n${detail}`, { cause: error });
    }
    log(`migrated ${name} (${Date.now() - started} ms)`);
  }
}

/** True when every migration folder of the subgraph is recorded as applied: saves a CLI start (~1.5 s) per subgraph. */
async function isUpToDate(adminUrl: string, subgraph: string): Promise<boolean> {
  const folders = readdirSync(`${root}prisma/${subgraph}/migrations`, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT migration_name AS name FROM "${subgraph}"._prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(rows.map((r) => r.name));
    return folders.every((f) => applied.has(f));
  } catch {
    return false; // no schema or table yet
  } finally {
    await client.end();
  }
}
