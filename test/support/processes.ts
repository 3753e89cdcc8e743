// Extra gateway and subgraph processes over the test stack's databases, with their logs captured,
// for the operations tests (readiness, metrics, logs, reload, shutdown, traces).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { TEST_RATE_LIMITS } from './rate-limits.ts';
import path from 'node:path';
import { inject } from 'vitest';
import { appDatabaseUrl } from '../../scripts/database.ts';
import { freePort } from '../../scripts/stack.ts';

const root = path.resolve(import.meta.dirname, '../..');

export interface Service {
  /** `http://localhost:<port>` */
  base: string;
  url: string;
  process: ChildProcess;
  /** Everything the process wrote (JSON log lines), so far. */
  output(): string;
  /** SIGTERM, resolving with the exit code once it exited. */
  stop(): Promise<number | null>;
}

function spawnService(entry: string, port: number, env: Record<string, string>): Service {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(port),
      REDIS_URL: inject('redisUrl'),
      INTERNAL_JWT_SECRET: inject('secrets').INTERNAL_JWT_SECRET,
      ACCESS_JWT_SECRET: inject('secrets').ACCESS_JWT_SECRET,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = `http://localhost:${port}`;
  return {
    base,
    url: `${base}/graphql`,
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Waits until `path` answers 200 (or throws naming the service and its output). */
export async function waitUntilUp(service: Service, probe = '/healthz', timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null) throw new Error(`service exited with ${service.process.exitCode}: ${service.output()}`);
    if (
      await fetch(service.base + probe).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`service did not answer ${probe} in time: ${service.output()}`);
}

/** Subgraph URL variables for a gateway: the stack's subgraphs, with `overrides` in place of some. */
export function subgraphEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const urls = { ...inject('subgraphUrls'), ...overrides };
  return Object.fromEntries(Object.entries(urls).map(([name, url]) => [`${name.toUpperCase()}_URL`, url]));
}

/** Another gateway over the stack's subgraphs (or those in `env`), up once `/healthz` answers. */
export async function startGateway(env: Record<string, string> = {}): Promise<Service> {
  const service = spawnService('gateway/src/index.ts', await freePort(), { ...TEST_RATE_LIMITS, ...subgraphEnv(), ...env });
  await waitUntilUp(service);
  return service;
}

/** Another instance of one subgraph over the stack's databases, up once `/readyz` answers. */
export async function startSubgraph(name: string, env: Record<string, string> = {}): Promise<Service> {
  const urls = inject('subgraphUrls');
  const service = spawnService(`subgraphs/${name}/src/index.ts`, await freePort(), {
    DATABASE_URL: appDatabaseUrl(inject('databaseUrl'), inject('secrets').APP_DB_PASSWORD),
    MONGODB_URL: inject('mongoUrl'),
    IDENTITY_URL: urls.identity!,
    CAMPUS_URL: urls.campus!,
    BEHAVIOR_URL: urls.behavior!,
    ...env,
  });
  await waitUntilUp(service, '/readyz');
  return service;
}

/** The JSON lines of a process's output. */
export function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** One sample of a Prometheus text exposition: `name{a="b"} 3`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** Scrapes `/metrics` and returns a reader of one metric's value (the sum over samples matching `labels`; undefined when none). */
export async function scrape(base: string, token?: string) {
  const response = await fetch(`${base}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  const samples = parseSamples(await response.text());
  return (name: string, labels: Record<string, string> = {}): number | undefined => {
    const matching = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    return matching.length ? matching.reduce((sum, s) => sum + s.value, 0) : undefined;
  };
}

/** A port that refuses connections (bound, then closed): where a dependency is down. */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
