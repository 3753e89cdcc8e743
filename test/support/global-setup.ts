// Starts one real stack for the cross-subgraph tests: a fresh database in whichever Postgres is in
// use (DATABASE_URL, else embedded), Redis (REDIS_URL on a database index of its own, else embedded),
// MongoDB (MONGODB_URL, else the project's own wire-protocol server), five subgraphs and the gateway,
// each a real process on a free port, spoken to over real HTTP.
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDatabase, dropDatabase, resolvePostgres } from '@pathway/devstack';
import { startStack, type Stack } from '../../scripts/stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    gatewayUrl: string;
    subgraphUrls: Record<string, string>;
    databaseUrl: string;
    adminDatabaseUrl: string;
    redisUrl: string;
    mongoUrl: string;
    secrets: Stack['secrets'];
    mongoSource: string;
  }
}

const root = path.resolve(import.meta.dirname, '../..');
const stateDir = path.join(root, '.pathway', 'test');

export default async function setup(project: TestProject) {
  const log = (line: string) => process.env.PATHWAY_TEST_VERBOSE && console.log(`[stack] ${line}`);
  const postgres = await resolvePostgres({ stateDir, log });
  const dbName = `pathway_test_${process.pid}`;
  const databaseUrl = await createDatabase(postgres.url, dbName);
  const env: Record<string, string> = { DATABASE_URL: databaseUrl, NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  // A Redis database index of this run's own (1–14), so `pnpm start` (0) or another run isn't disturbed;
  // 15 belongs to the gateway unit tests, which rewrite the permission directory.
  // PATHWAY_TEST_REDIS_DB pins it, for several runs side by side on one machine.
  const redisDb = Number(process.env.PATHWAY_TEST_REDIS_DB) || 1 + (process.pid % 14);
  if (process.env.REDIS_URL) env.REDIS_URL = withRedisDb(process.env.REDIS_URL, redisDb);
  let stack: Stack;
  try {
    stack = await startStack({ stateDir, ports: 'random', demo: true, env, output: path.join(stateDir, process.env.PATHWAY_TEST_REDIS_DB ? `logs-${redisDb}` : 'logs'), log });
  } catch (error) {
    await dropDatabase(postgres.url, dbName).catch(() => {});
    await postgres.stop();
    throw error;
  }
  project.provide('gatewayUrl', stack.gatewayUrl);
  project.provide('subgraphUrls', stack.subgraphUrls);
  project.provide('databaseUrl', stack.databaseUrl);
  project.provide('adminDatabaseUrl', databaseUrl);
  project.provide('redisUrl', stack.redisUrl);
  project.provide('mongoUrl', stack.mongoUrl);
  project.provide('secrets', stack.secrets);
  project.provide('mongoSource', stack.sources.mongo ?? 'unknown');
  return async () => {
    await stack.stop();
    await dropDatabase(postgres.url, dbName).catch(() => {});
    await postgres.stop();
  };
}

function withRedisDb(url: string, db: number): string {
  const parsed = new URL(url);
  if (parsed.pathname && parsed.pathname !== '/') return url;
  parsed.pathname = `/${db}`;
  return parsed.toString();
}
