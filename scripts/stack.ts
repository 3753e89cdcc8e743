// Starts the whole supergraph: backing services, migrations, optional demo data, five subgraphs and
// the gateway, each subgraph and the gateway in a process of its own. Used by `pnpm start` and by the tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { startDevServices } from '@pathway/devstack';
import { loadConfig, mongoUrl, postgresUrl } from '@pathway/kit';
import { z } from 'zod';
import { appDatabaseUrl, ensureAppRole, migrateAll } from './database.ts';
import { seedDemo } from './demo/index.ts';
import { SUBGRAPHS } from './subgraphs.ts';

const root = new URL('..', import.meta.url).pathname;

export interface StackOptions {
  /** Where embedded services keep data, logs and generated dev secrets. */
  stateDir: string;
  /** `fixed`: gateway 4000, subgraphs 4001–4005 (pnpm start). `random`: free ports (tests). */
  ports: 'fixed' | 'random';
  demo: boolean;
  /** Overrides for the processes' environment (e.g. a test's own database URL). */
  env?: Record<string, string>;
  /** Where child output goes: `console` prints it tidied, a path writes raw JSON logs there. */
  output: 'console' | string;
  log: (line: string) => void;
}

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

export async function startStack(opts: StackOptions): Promise<Stack> {
  const env = { ...process.env, ...opts.env };
  loadConfig(serviceEnv, env);
  mkdirSync(opts.stateDir, { recursive: true });
  const secrets = loadSecrets(opts.stateDir, env);
  const children: ChildProcess[] = [];
  const services = await withEnv(opts.env, () => startDevServices({ stateDir: opts.stateDir, log: opts.log }));
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    await services.stop();
  };
  try {
    await ensureAppRole(services.databaseUrl, secrets.APP_DB_PASSWORD);
    await migrateAll(services.databaseUrl, opts.log);
    if (opts.demo) await seedDemo(services.databaseUrl, services.mongoUrl);

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
    const ports = await Promise.all(SUBGRAPHS.map(({ port }) => (opts.ports === 'fixed' ? port : freePort())));
    const subgraphUrls: Record<string, string> = Object.fromEntries(
      SUBGRAPHS.map(({ name }, i) => [name, `http://localhost:${ports[i]}/graphql`]),
    );
    const overrides = Object.fromEntries(SUBGRAPHS.map(({ name }) => [`${name.toUpperCase()}_URL`, subgraphUrls[name]!]));
    await Promise.all(
      SUBGRAPHS.map(async ({ name }, i) => {
        const extra: Record<string, string> = name === 'identity' ? { ACCESS_JWT_SECRET: secrets.ACCESS_JWT_SECRET } : {};
        const databaseUrl = appDatabaseUrl(services.databaseUrl, secrets.APP_DB_PASSWORD);
        const child = spawnService(
          name,
          `subgraphs/${name}/src/index.ts`,
          { ...common, ...overrides, ...extra, PORT: String(ports[i]), DATABASE_URL: databaseUrl },
          opts,
        );
        children.push(child);
        await waitForHealth(`http://localhost:${ports[i]}/readyz`, name, child);
      }),
    );
    const gatewayPort = opts.ports === 'fixed' ? Number(env.GATEWAY_PORT ?? 4000) : await freePort();
    const gateway = spawnService(
      'gateway',
      'gateway/src/index.ts',
      { ...common, ...overrides, PORT: String(gatewayPort), ACCESS_JWT_SECRET: secrets.ACCESS_JWT_SECRET },
      opts,
    );
    children.push(gateway);
    await waitForHealth(`http://localhost:${gatewayPort}/readyz`, 'gateway', gateway);
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

function spawnService(name: string, entry: string, env: Record<string, string>, opts: StackOptions): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (opts.output === 'console') {
    for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => printTidy(name, chunk));
  } else {
    mkdirSync(opts.output, { recursive: true });
    const file = createWriteStream(path.join(opts.output, `${name}.log`), { flags: 'a' });
    child.stdout?.pipe(file);
    child.stderr?.pipe(file);
  }
  return child;
}

const levels: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
function printTidy(name: string, chunk: Buffer): void {
  for (const line of chunk.toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as { level: number; msg: string; err?: { message?: string } };
      const error = entry.err?.message ? ` (${entry.err.message})` : '';
      console.log(`[${name}] ${levels[entry.level] ?? entry.level}: ${entry.msg}${error}`);
    } catch {
      console.log(`[${name}] ${line}`);
    }
  }
}

/** How long a process may take to answer /readyz: generous, since six start at once on a small, busy machine. */
const HEALTH_TIMEOUT_MS = Number(process.env.PATHWAY_START_TIMEOUT_MS ?? 180_000);

async function waitForHealth(url: string, name: string, child: ChildProcess, timeoutMs = HEALTH_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} while starting`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not become healthy within ${timeoutMs / 1000} s (PATHWAY_START_TIMEOUT_MS; is the machine busy?)`);
}

function stopChild(child: ChildProcess): Promise<void> {
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
