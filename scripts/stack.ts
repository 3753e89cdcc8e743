// Starts the whole supergraph: backing services, migrations, optional demo data, five subgraphs and
// the gateway, each subgraph and the gateway in a process of its own. Used by `pnpm start` and by the tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { startDevServices } from '@pathway/devstack';
import { baseEnv, loadConfig, mongoUrl, postgresUrl } from '@pathway/kit';
import { z } from 'zod';
import { appDatabaseUrl, ensureAppRole, migrateAll } from './database.ts';
import { seedDemo } from './demo/index.ts';
import { buildAll, compiledPath, staleBundles } from './build.ts';
import { SUBGRAPHS } from './subgraphs.ts';

const root = new URL('..', import.meta.url).pathname;

export interface StackOptions {
  /** Where embedded services keep data, logs and generated dev secrets. */
  stateDir: string;
  /** `fixed`: gateway GATEWAY_PORT (4000), subgraphs the next five (pnpm start). `random`: free ports (tests). */
  ports: 'fixed' | 'random';
  demo: boolean;
  /** Overrides for the processes' environment (e.g. a test's own database URL). */
  env?: Record<string, string>;
  /** Where child output goes: `console` prints it tidied, a path writes raw JSON logs there. */
  output: 'console' | string;
  log: (line: string) => void;
  /**
   * How the processes run: `compiled` the esbuild bundles (`pnpm build`, run after install: `pnpm start`),
   * `source` the TypeScript through tsx (the default), `watch` through `tsx watch`, each process
   * restarting when its files change (`pnpm dev`).
   */
  runtime?: Runtime;
  /** How long each process may take to answer /readyz (PATHWAY_START_TIMEOUT_MS, else 180 s). */
  startTimeoutMs?: number;
  /** Extra node flags for the gateway's process only (a benchmark's `--cpu-prof`). */
  gatewayNodeArgs?: string[];
}

export type Runtime = 'compiled' | 'source' | 'watch';

export interface Stack {
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  databaseUrl: string;
  redisUrl: string;
  mongoUrl: string;
  secrets: Secrets;
  sources: Record<string, string>;
  stop(): Promise<void>;
}

interface Secrets {
  INTERNAL_JWT_SECRET: string;
  ACCESS_JWT_SECRET: string;
  APP_DB_PASSWORD: string;
}

/** The URLs a person may pass in; checked before anything starts, one line naming each bad variable. */
const serviceEnv = {
  DATABASE_URL: postgresUrl.optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  MONGODB_URL: mongoUrl.optional(),
};

/** Everything `pnpm start` reads, checked together so one line names every bad variable at once. */
export const startEnv = {
  ...serviceEnv,
  GATEWAY_PORT: z.coerce
    .number({ error: 'must be a port number (1–65535)' })
    .int('must be a port number (1–65535)')
    .min(1, 'must be a port number (1–65535)')
    .max(65535, 'must be a port number (1–65535)')
    .default(4000),
  PATHWAY_START_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int()
    .min(1000, 'must be at least 1000 (ms)')
    .default(180_000),
  PATHWAY_DEMO: z.enum(['0', '1'], { error: 'must be 0 (no demo data) or 1' }).default('1'),
  NODE_ENV: baseEnv.NODE_ENV,
  LOG_LEVEL: baseEnv.LOG_LEVEL,
};

export async function startStack(opts: StackOptions): Promise<Stack> {
  const env = { ...process.env, ...opts.env };
  loadConfig(serviceEnv, env);
  const runtime = opts.runtime ?? 'source';
  if (runtime === 'compiled') await ensureBuilt(opts.log);
  mkdirSync(opts.stateDir, { recursive: true });
  const secrets = loadSecrets(opts.stateDir, env);
  const children: Child[] = [];
  const services = await withEnv(opts.env, () => startDevServices({ stateDir: opts.stateDir, log: opts.log }));
  let stopping: Promise<void> | undefined;
  // The gateway first (no request reaches a stopping subgraph), then the subgraphs, then the services they use.
  const stop = () =>
    (stopping ??= (async () => {
      for (const child of children) child.stopping = true;
      await Promise.all(children.filter((c) => c.name === 'gateway').map(stopChild));
      await Promise.all(children.filter((c) => c.name !== 'gateway').map(stopChild));
      await services.stop();
    })());
  try {
    await ensureAppRole(services.databaseUrl, secrets.APP_DB_PASSWORD);
    await migrateAll(services.databaseUrl, opts.log);
    if (opts.demo) await seedDemo(services.databaseUrl, services.mongoUrl, { integratorKey: env.NODE_ENV !== 'production' });

    // The caller's overrides reach every process, under the values the stack itself decides.
    const common = {
      ...opts.env,
      NODE_ENV: env.NODE_ENV ?? 'development',
      LOG_LEVEL: env.LOG_LEVEL ?? 'info',
      REDIS_URL: services.redisUrl,
      MONGODB_URL: services.mongoUrl,
      INTERNAL_JWT_SECRET: secrets.INTERNAL_JWT_SECRET,
    };
    // Ports first, so every subgraph knows the others' URLs (writes look up people and facilities: kit references.ts).
    const gatewayPort = opts.ports === 'fixed' ? Number(env.GATEWAY_PORT ?? 4000) : await freePort();
    // Fixed: the subgraphs take the five ports after the gateway's (4001–4005 by default).
    const ports = await Promise.all(SUBGRAPHS.map((_, i) => (opts.ports === 'fixed' ? gatewayPort + 1 + i : freePort())));
    const subgraphUrls: Record<string, string> = Object.fromEntries(
      SUBGRAPHS.map(({ name }, i) => [name, `http://localhost:${ports[i]}/graphql`]),
    );
    const overrides = Object.fromEntries(SUBGRAPHS.map(({ name }) => [`${name.toUpperCase()}_URL`, subgraphUrls[name]!]));
    const databaseUrl = appDatabaseUrl(services.databaseUrl, secrets.APP_DB_PASSWORD);
    for (const [i, { name }] of SUBGRAPHS.entries()) {
      const extra: Record<string, string> = name === 'identity' ? { ACCESS_JWT_SECRET: secrets.ACCESS_JWT_SECRET } : {};
      const processEnv = { ...common, ...overrides, ...extra, PORT: String(ports[i]), DATABASE_URL: databaseUrl };
      children.push(spawnService(name, `subgraphs/${name}/src/index.ts`, processEnv, ports[i]!, runtime, opts));
    }
    // The gateway starts beside the subgraphs (its own start overlaps theirs); it is ready once they are.
    const gatewayEnv = { ...common, ...overrides, PORT: String(gatewayPort), ACCESS_JWT_SECRET: secrets.ACCESS_JWT_SECRET };
    children.push(spawnService('gateway', 'gateway/src/index.ts', gatewayEnv, gatewayPort, runtime, opts));
    await waitUntilReady(children, opts.startTimeoutMs ?? Number(env.PATHWAY_START_TIMEOUT_MS ?? 180_000), opts.log);
    return {
      gatewayUrl: `http://localhost:${gatewayPort}/graphql`,
      subgraphUrls,
      databaseUrl: services.databaseUrl,
      redisUrl: services.redisUrl,
      mongoUrl: services.mongoUrl,
      secrets,
      sources: services.sources,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The bundles `compiled` runs: built on install, rebuilt here when one is missing or older than a source. */
async function ensureBuilt(log: (line: string) => void): Promise<void> {
  const stale = staleBundles();
  if (stale.length === 0) return;
  const started = Date.now();
  await buildAll();
  log(`rebuilt ${stale.join(', ')} (missing, or older than its sources) in ${Date.now() - started} ms`);
}

/** Dev secrets: from the environment, else generated once and kept in the state dir so tokens survive restarts. */
function loadSecrets(stateDir: string, env: NodeJS.ProcessEnv): Secrets {
  const file = path.join(stateDir, 'dev-secrets.json');
  const stored: Partial<Secrets> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const make = () => randomBytes(36).toString('base64url');
  const secrets: Secrets = {
    INTERNAL_JWT_SECRET: env.INTERNAL_JWT_SECRET ?? stored.INTERNAL_JWT_SECRET ?? make(),
    ACCESS_JWT_SECRET: env.ACCESS_JWT_SECRET ?? stored.ACCESS_JWT_SECRET ?? make(),
    APP_DB_PASSWORD: env.APP_DB_PASSWORD ?? stored.APP_DB_PASSWORD ?? make(),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** devstack reads DATABASE_URL & co. from process.env; a test's overrides must apply to that too. */
async function withEnv<T>(overrides: Record<string, string> | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, overrides);
  try {
    return await fn();
  } finally {
    for (const key of Object.keys(overrides ?? {})) if (saved[key] === undefined) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/** One of the stack's processes: its name, its port, whether it is being stopped on purpose. */
interface Child {
  name: string;
  port: number;
  process: ChildProcess;
  stopping: boolean;
}

function spawnService(name: string, entry: string, env: Record<string, string>, port: number, runtime: Runtime, opts: StackOptions): Child {
  const nodeArgs = name === 'gateway' ? (opts.gatewayNodeArgs ?? []) : [];
  const args = {
    compiled: [path.join(root, compiledPath(entry))],
    source: ['--import', 'tsx', path.join(root, entry)],
    watch: [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'watch', '--clear-screen=false', path.join(root, entry)],
  }[runtime];
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const self: Child = { name, port, process: child, stopping: false };
  if (opts.output === 'console') {
    for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => printTidy(self, chunk));
  } else {
    mkdirSync(opts.output, { recursive: true });
    const file = createWriteStream(path.join(opts.output, `${name}.log`), { flags: 'a' });
    child.stdout?.pipe(file);
    child.stderr?.pipe(file);
  }
  return self;
}

const levels: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
/** Console output: one `[name] level: message` line per JSON log line; while stopping, only warnings and errors. */
function printTidy(child: Child, chunk: Buffer): void {
  for (const line of chunk.toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    let entry: { level: number; msg: string; err?: { message?: string } } | undefined;
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      entry = undefined;
    }
    if (!entry) {
      if (!child.stopping) console.log(`[${child.name}] ${line}`);
      continue;
    }
    if (child.stopping && entry.level < 40) continue;
    const error = entry.err?.message ? ` (${entry.err.message})` : '';
    console.log(`[${child.name}] ${levels[entry.level] ?? entry.level}: ${entry.msg}${error}`);
  }
}

/**
 * Waits until every process answers /readyz. Every 15 s it says which are still starting and what
 * they last answered; past the limit it fails naming them.
 */
async function waitUntilReady(children: Child[], timeoutMs: number, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const last = new Map<string, string>(children.map((c) => [c.name, 'not listening yet']));
  const pending = new Set(children);
  let nextReport = started + 15_000;
  for (;;) {
    for (const child of pending) {
      const { exitCode } = child.process;
      if (exitCode !== null) throw new Error(`${child.name} exited with code ${exitCode} while starting (its log says why)`);
    }
    await Promise.all(
      [...pending].map(async (child) => {
        try {
          const response = await fetch(`http://localhost:${child.port}/readyz`, { signal: AbortSignal.timeout(5_000) });
          if (response.ok) pending.delete(child);
          else last.set(child.name, `/readyz answered ${response.status}`);
        } catch {
          // not listening yet, or too busy to answer
        }
      }),
    );
    if (pending.size === 0) return;
    const slow = [...pending].map((c) => `${c.name} (${last.get(c.name)})`).join(', ');
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `not ready within ${timeoutMs / 1000} s: ${slow}. On a busy machine raise PATHWAY_START_TIMEOUT_MS; else see that process's log.`,
      );
    }
    if (Date.now() >= nextReport) {
      log(`still starting after ${Math.round((Date.now() - started) / 1000)} s: ${slow}`);
      nextReport += 15_000;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function stopChild({ process: child }: Child): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The Redis database PATHWAY_TEST_REDIS_DB pins for a test or benchmark run (several runs side by side on one server), if any. */
export function pinnedRedisDb(): number | undefined {
  return Number(process.env.PATHWAY_TEST_REDIS_DB) || undefined;
}

/** The Redis URL on database `db` (a run's own, apart from others on one server), unless the URL already names one. */
export function withRedisDb(url: string, db: number): string {
  const parsed = new URL(url);
  if (parsed.pathname && parsed.pathname !== '/') return url;
  parsed.pathname = `/${db}`;
  return parsed.toString();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
