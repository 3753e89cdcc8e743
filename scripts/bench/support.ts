import path from 'node:path';
import { createDatabase, dropDatabase, resolvePostgres } from '@pathway/devstack';
import pg from 'pg';
import { DEMO_PASSWORD } from '../demo/ids.ts';
import { pinnedRedisDb, startStack, withRedisDb, type Runtime, type Stack } from '../stack.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** Rate limits out of the way: a bench's clients are a few people on one address, far faster than any person. */
export const RAISED_LIMITS = {
  RATE_LIMIT_PER_PERSON: '1000000',
  RATE_LIMIT_PER_ADDRESS: '1000000',
  RATE_LIMIT_ANONYMOUS_PER_ADDRESS: '1000000',
};

/** A stack of the benchmark's own (fresh database, demo data), like the tests' but with its own settings. */
export async function benchStack(
  name: string,
  env: Record<string, string> = {},
  runtime: Runtime = 'source',
): Promise<Stack & { dispose(): Promise<void> }> {
  const stateDir = path.join(root, '.pathway', 'bench');
  const postgres = await resolvePostgres({ stateDir });
  const dbName = `pathway_bench_${name}_${process.pid}`;
  const databaseUrl = await createDatabase(postgres.url, dbName);
  if (process.env.BENCH_EXPLAIN_MS) await explainSlowStatements(databaseUrl, dbName, Number(process.env.BENCH_EXPLAIN_MS));
  // Like the tests, a Redis database of the run's own when PATHWAY_TEST_REDIS_DB names one (its event stream and directory stay apart).
  const redisDb = pinnedRedisDb();
  const redis: Record<string, string> = process.env.REDIS_URL && redisDb ? { REDIS_URL: withRedisDb(process.env.REDIS_URL, redisDb) } : {};
  const stack = await startStack({
    stateDir,
    ports: 'random',
    demo: true,
    runtime,
    env: { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', ...redis, ...env },
    output: path.join(stateDir, 'logs'),
    log: () => {},
    // BENCH_GATEWAY_CPU_PROF=dir: the gateway writes a V8 CPU profile there when the stack stops.
    ...(process.env.BENCH_GATEWAY_CPU_PROF
      ? { gatewayNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_GATEWAY_CPU_PROF}`] }
      : {}),
  });
  return {
    ...stack,
    dispose: async () => {
      await stack.stop();
      await dropDatabase(postgres.url, dbName).catch(() => {});
      await postgres.stop();
    },
  };
}

/**
 * BENCH_EXPLAIN_MS=N: every session of the bench's database (the subgraphs' included) loads
 * auto_explain and writes the plan of each statement slower than N ms, with ANALYZE and BUFFERS,
 * to the server's log: the hot queries' plans as the API runs them, Row-Level Security included.
 */
async function explainSlowStatements(databaseUrl: string, dbName: string, ms: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const setting of [
      `session_preload_libraries = 'auto_explain'`,
      `auto_explain.log_min_duration = ${Math.floor(ms)}`,
      'auto_explain.log_analyze = on',
      'auto_explain.log_buffers = on',
    ])
      await client.query(`ALTER DATABASE "${dbName}" SET ${setting}`);
  } finally {
    await client.end();
  }
}

export async function gql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<{ data?: T; errors?: unknown[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T; errors?: unknown[] };
}

export async function loginAs(url: string, username: string): Promise<string> {
  const res = await gql<{ login: { accessToken: string } }>(
    url,
    'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }',
    { u: username, p: DEMO_PASSWORD },
  );
  if (!res.data) throw new Error(`login failed: ${JSON.stringify(res.errors)}`);
  return res.data.login.accessToken;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
