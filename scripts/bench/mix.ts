// The operation mix (mix-operations.ts) at a fixed concurrency, side by side on one stack: (a) this
// gateway, (b) Hive Gateway and (c) a default @apollo/gateway on the same supergraph and subgraphs
// (scripts/bench/peers/), and (d) the query plans' subgraph requests sent straight to the subgraphs.
// Configurations take turns in rounds (the order rotates), so a busy spell of the shared machine
// falls on all of them. Per configuration: requests/s, p50/p99, CPU per request of every process
// (from /proc) and SQL statements per request (pathway_db_statements_total on each subgraph's
// /metrics); first a census of each operation alone through this gateway (statements and CPU per
// operation). BENCH_READ_SCOPE_BASELINE=1 adds a second stack with DATABASE_READ_SCOPE=batch (a
// transaction per DataLoader batch, the former way) to the census and the rounds. BENCH_SCALES=1,3
// adds one stack per scale, its database holding the generated world of `pnpm seed --scale N`
// beside the demo's (the mix still asks about the demo's people, now among N tenants' rows).
// BENCH_PRODUCTION=1 adds a stack of compiled bundles under NODE_ENV=production (the others run tsx);
// BENCH_ADMISSION_BASELINE=1 one whose gateway has no admission control (GATEWAY_MAX_IN_FLIGHT unbounded).
// BENCH_GATEWAY_BASELINE=<dir> adds the gateway of another checkout (e.g. a worktree at the commit
// before a change), on the same subgraphs and Redis with the same settings: a gateway change
// measured before and after in one run.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  connectRedis,
  FacilityFlagDirectory,
  IDENTITY_HEADER,
  PermissionDirectory,
  EndedSessions,
  ServiceAccountDirectory,
  signIdentity,
  type Identity,
} from '@pathway/kit';
import { RequestAuthenticator } from '../../gateway/src/identity.ts';
import type { Stack } from '../stack.ts';
import { freePort } from '../stack.ts';
import { MIX, PEOPLE, type Operation, type Person, type RunState, type Step } from './mix-operations.ts';
import { cpuMs, loadAverage, pidListeningOn } from './proc.ts';
import { seedScale } from '../seed/index.ts';
import { benchStack, loginAs, percentile, RAISED_LIMITS } from './support.ts';

/** Clients at once; a list (`32,128`) measures each in every round. */
const CONCURRENCIES = (process.env.BENCH_CONCURRENCY ?? '8').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CENSUS_RUNS = Number(process.env.BENCH_CENSUS_RUNS ?? 10);
const CONFIGS = (process.env.BENCH_CONFIGS ?? 'pathway,hive,apollo,direct').split(',');
const SCALES = (process.env.BENCH_SCALES ?? '').split(',').filter(Boolean).map(Number);
const root = path.resolve(import.meta.dirname, '../..');

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };

/** One way of sending the mix: through a gateway (which process it is), or straight to the subgraphs. */
interface Target {
  name: string;
  /** The processes whose CPU counts for it: its gateway (if any) and the subgraphs. */
  processes: Record<string, number>;
  subgraphPorts: Record<string, number>;
  send(step: Step, state: RunState): Promise<Body>;
}

/** The people of the mix as each kind of client speaks for them: an access token, or the signed internal identity. */
class People {
  private readonly headers = new Map<Person, { value: string; at: number }>();
  constructor(
    readonly tokens: Record<Person, string>,
    private readonly identities: Record<Person, Identity>,
    private readonly internalSecret: string,
  ) {}

  /** The internal identity header, re-signed well before its 60 s lifetime ends. */
  async header(person: Person): Promise<string> {
    const cached = this.headers.get(person);
    if (cached && Date.now() - cached.at < 20_000) return cached.value;
    const value = await signIdentity(this.identities[person], this.internalSecret);
    this.headers.set(person, { value, at: Date.now() });
    return value;
  }
}

async function people(stack: Stack): Promise<People> {
  const redis = connectRedis(stack.redisUrl, 'bench-mix');
  const subscriber = connectRedis(stack.redisUrl, 'bench-mix-rbac');
  try {
    const auth = new RequestAuthenticator(
      stack.secrets.ACCESS_JWT_SECRET,
      new PermissionDirectory(redis, subscriber),
      new FacilityFlagDirectory(redis),
      new ServiceAccountDirectory(redis),
      new EndedSessions(redis),
    );
    const tokens = {} as Record<Person, string>;
    const identities = {} as Record<Person, Identity>;
    for (const [person, username] of Object.entries(PEOPLE) as [Person, string][]) {
      tokens[person] = await loginAs(stack.gatewayUrl, username);
      identities[person] = (await auth.session(`Bearer ${tokens[person]}`))!.identity;
    }
    return new People(tokens, identities, stack.secrets.INTERNAL_JWT_SECRET);
  } finally {
    await Promise.allSettled([redis.quit(), subscriber.quit()]);
  }
}

const portOf = (url: string) => Number(new URL(url).port);
const subgraphPorts = (stack: Stack) => Object.fromEntries(Object.entries(stack.subgraphUrls).map(([name, url]) => [name, portOf(url)]));
const subgraphPids = (stack: Stack) =>
  Object.fromEntries(Object.entries(subgraphPorts(stack)).map(([name, port]) => [name, pidListeningOn(port)]));

async function post(url: string, headers: Record<string, string>, body: unknown): Promise<Body> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return (await res.json()) as Body;
}

function pathwayTarget(name: string, stack: Stack, who: People): Target {
  return {
    name,
    processes: { gateway: pidListeningOn(portOf(stack.gatewayUrl)), ...subgraphPids(stack) },
    subgraphPorts: subgraphPorts(stack),
    send: (step, state) =>
      post(stack.gatewayUrl, { authorization: `Bearer ${who.tokens[step.as]}` }, { query: step.query, variables: step.variables(state) }),
  };
}

/** The supergraph with the stack's subgraph URLs, for the peer gateways. */
function supergraphFor(stack: Stack): string {
  let sdl = readFileSync(path.join(root, 'schema/supergraph.graphql'), 'utf8');
  for (const [name, url] of Object.entries(stack.subgraphUrls))
    sdl = sdl.replace(new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]+`), `$1${url.replace('localhost', '127.0.0.1')}`);
  const file = path.join(root, '.pathway', 'bench', `supergraph-${process.pid}.graphql`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, sdl);
  return file;
}

async function startPeer(
  name: 'hive' | 'apollo',
  supergraph: string,
  who: People,
  stack: Stack,
  children: ChildProcess[],
): Promise<Target> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'peers', `${name}-gateway.ts`)], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'development',
      SUPERGRAPH_PATH: supergraph,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`${name} gateway exited with ${code}`)));
  });
  const url = name === 'hive' ? `http://127.0.0.1:${port}/graphql` : `http://127.0.0.1:${port}/`;
  return {
    name,
    processes: { gateway: child.pid!, ...subgraphPids(stack) },
    subgraphPorts: subgraphPorts(stack),
    send: async (step, state) =>
      post(url, { [IDENTITY_HEADER]: await who.header(step.as) }, { query: step.query, variables: step.variables(state) }),
  };
}

/**
 * The gateway of another checkout (`dir`, its own node_modules) beside this stack's, on the same
 * subgraphs, Redis and secrets, with the settings the stack's gateway has.
 */
async function baselineGateway(dir: string, stack: Stack, who: People, children: ChildProcess[]): Promise<Target> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(dir, 'gateway/src/index.ts')], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      RESPONSE_CACHE: 'off',
      ...RAISED_LIMITS,
      PORT: String(port),
      REDIS_URL: stack.redisUrl,
      INTERNAL_JWT_SECRET: stack.secrets.INTERNAL_JWT_SECRET,
      ACCESS_JWT_SECRET: stack.secrets.ACCESS_JWT_SECRET,
      ...Object.fromEntries(Object.entries(stack.subgraphUrls).map(([name, url]) => [`${name.toUpperCase()}_URL`, url])),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}/graphql`;
  for (let started = Date.now(); ; await new Promise((resolve) => setTimeout(resolve, 500))) {
    if (child.exitCode !== null) throw new Error(`baseline gateway exited with ${child.exitCode}`);
    if (
      await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() - started > 120_000) throw new Error('baseline gateway not ready in 120 s');
  }
  return {
    name: 'pathway-baseline',
    processes: { gateway: child.pid!, ...subgraphPids(stack) },
    subgraphPorts: subgraphPorts(stack),
    send: (step, state) =>
      post(url, { authorization: `Bearer ${who.tokens[step.as]}` }, { query: step.query, variables: step.variables(state) }),
  };
}

/** A subgraph request of a query plan, as a gateway sent it; requests of one stage were in flight together. */
interface Fetch {
  url: string;
  query: string;
  variables: Record<string, unknown>;
  stage: number;
}

/**
 * The query plans' subgraph requests, recorded once per step by running it through an in-process
 * @apollo/gateway, then replayed: stage by stage, a stage's requests at once, the run's state
 * (the round trip's request id) put in place of the recorded one.
 */
async function directTarget(stack: Stack, who: People): Promise<Target> {
  let recording: Fetch[] = [];
  let inFlight = 0;
  let stage = -1;
  class Recorder extends RemoteGraphQLDataSource<{ identity: string }> {
    override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<{ identity: string }>) {
      request.http?.headers.set(IDENTITY_HEADER, context.identity);
    }
    override async process(options: GraphQLDataSourceProcessOptions<{ identity: string }>) {
      if (inFlight++ === 0) stage++;
      recording.push({ url: this.url!, query: options.request.query!, variables: options.request.variables ?? {}, stage });
      try {
        return await super.process(options);
      } finally {
        inFlight--;
      }
    }
  }
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(supergraphFor(stack), 'utf8'),
    buildService: ({ url }) => new Recorder({ url }),
  });
  const server = new ApolloServer<{ identity: string }>({ gateway });
  await server.start();
  const plans = new Map<Step, { fetches: Fetch[]; state: RunState }>();
  try {
    for (const op of MIX) {
      const state: RunState = {};
      for (const step of op.steps) {
        recording = [];
        stage = -1;
        const res = await server.executeOperation(
          { query: step.query, variables: step.variables(state) },
          { contextValue: { identity: await who.header(step.as) } },
        );
        const body = res.body.kind === 'single' ? res.body.singleResult : {};
        if (!('data' in body) || ('errors' in body && body.errors)) throw new Error(`${op.name}: ${JSON.stringify(body)}`);
        plans.set(step, { fetches: recording, state: { ...state } });
        step.after?.(body.data as Record<string, unknown>, state);
      }
    }
  } finally {
    await server.stop();
  }
  return {
    name: 'direct',
    processes: subgraphPids(stack),
    subgraphPorts: subgraphPorts(stack),
    async send(step, state) {
      const plan = plans.get(step)!;
      const header = await who.header(step.as);
      const stages = Math.max(...plan.fetches.map((f) => f.stage)) + 1;
      let first: Body = {};
      for (let s = 0; s < stages; s++) {
        const answers = await Promise.all(
          plan.fetches
            .filter((f) => f.stage === s)
            .map((f) => {
              let variables = JSON.stringify(f.variables);
              for (const [key, recorded] of Object.entries(plan.state))
                variables = variables.replaceAll(String(recorded), String(state[key as keyof RunState]));
              return post(f.url, { [IDENTITY_HEADER]: header }, { query: f.query, variables: JSON.parse(variables) });
            }),
        );
        if (s === 0) first = answers[0]!;
        const failed = answers.find((a) => a.errors?.length);
        if (failed) return failed;
      }
      return first;
    },
  };
}

/** Statements each subgraph has sent so far (its /metrics). */
async function statements(ports: Record<string, number>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, port] of Object.entries(ports)) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    out[name] = Number(/^pathway_db_statements_total (\S+)$/m.exec(text)?.[1] ?? NaN);
  }
  return out;
}

const cpuOf = (processes: Record<string, number>) => Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuMs(pid)]));
const minus = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b[k] ?? 0)]));
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

/**
 * What the processes do with no request at all (the outbox relays' polls, timers), per second, by
 * process id and by subgraph port: taken off every measurement, so the figures are the requests' own.
 */
const background = { cpu: new Map<number, number>(), statements: new Map<number, number>() };

async function measureBackground(targets: Target[], seconds = 5): Promise<void> {
  const pids = [...new Set(targets.flatMap((t) => Object.values(t.processes)))];
  const ports = [...new Set(targets.flatMap((t) => Object.values(t.subgraphPorts)))];
  const portsByName = Object.fromEntries(ports.map((p) => [String(p), p]));
  const cpu0 = pids.map(cpuMs);
  const st0 = await statements(portsByName);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  pids.forEach((pid, i) => background.cpu.set(pid, (cpuMs(pid) - cpu0[i]!) / seconds));
  const st1 = await statements(portsByName);
  for (const port of ports) background.statements.set(port, (st1[String(port)]! - st0[String(port)]!) / seconds);
}

/** A target's CPU (by process) and statements (by subgraph) over `seconds`, less the background. */
async function snapshot(target: Target) {
  const cpu0 = cpuOf(target.processes);
  const st0 = await statements(target.subgraphPorts);
  const started = performance.now();
  return async () => {
    const seconds = (performance.now() - started) / 1000;
    const cpu = minus(cpuOf(target.processes), cpu0);
    const st = minus(await statements(target.subgraphPorts), st0);
    for (const [name, pid] of Object.entries(target.processes)) cpu[name]! -= (background.cpu.get(pid) ?? 0) * seconds;
    for (const [name, port] of Object.entries(target.subgraphPorts)) st[name]! -= (background.statements.get(port) ?? 0) * seconds;
    return { cpu, statements: st };
  };
}

async function runOperation(target: Target, op: Operation): Promise<{ requests: number; latencies: number[]; errors: string[] }> {
  const state: RunState = {};
  const latencies: number[] = [];
  const errors: string[] = [];
  for (const step of op.steps) {
    const t = performance.now();
    let body: Body;
    try {
      body = await target.send(step, state);
    } catch (error) {
      errors.push(`${op.name}: ${(error as Error).message}`);
      break;
    }
    latencies.push(performance.now() - t);
    if (body.errors?.length || !body.data) {
      errors.push(`${op.name}: ${body.errors?.map((e) => e.extensions?.code ?? e.message).join(',') ?? 'no data'}`);
      break;
    }
    step.after?.(body.data, state);
  }
  return { requests: latencies.length, latencies, errors };
}

interface Phase {
  target: string;
  requests: number;
  seconds: number;
  latencies: number[];
  errors: string[];
  cpu: Record<string, number>;
  statements: Record<string, number>;
}

/** `concurrency` clients going round the mix (each from its own starting point) for `SECONDS`. */
async function phase(target: Target, concurrency: number): Promise<Phase> {
  const measured = await snapshot(target);
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const latencies: number[] = [];
  const errors: string[] = [];
  let requests = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, client) => {
      for (let i = client; performance.now() < deadline; i++) {
        const result = await runOperation(target, MIX[i % MIX.length]!);
        requests += result.requests;
        latencies.push(...result.latencies);
        errors.push(...result.errors);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const name = CONCURRENCIES.length > 1 ? `${target.name}@${concurrency}` : target.name;
  return { target: name, requests, seconds, latencies: latencies.sort((a, b) => a - b), errors, ...(await measured()) };
}

/** Each operation alone, `CENSUS_RUNS` times one after another: statements and CPU per operation. */
async function census(target: Target): Promise<void> {
  console.log(`\ncensus through ${target.name}, ${CENSUS_RUNS} runs each (per operation; subgraph CPU is the sum of the five):`);
  for (const op of MIX) {
    await runOperation(target, op); // warm
    const measured = await snapshot(target);
    const errors: string[] = [];
    for (let i = 0; i < CENSUS_RUNS; i++) errors.push(...(await runOperation(target, op)).errors);
    const { cpu, statements: st } = await measured();
    const per = (v: number) => (v / CENSUS_RUNS).toFixed(1);
    const { gateway = NaN, ...subgraphs } = cpu;
    console.log(
      `  ${op.name.padEnd(20)} SQL ${per(sum(st)).padStart(5)} (${Object.entries(st)
        .filter(([, v]) => Math.abs(v) >= 0.05 * CENSUS_RUNS)
        .map(([k, v]) => `${k} ${per(v)}`)
        .join(', ')})  CPU ms: gateway ${per(gateway)}, subgraphs ${per(sum(subgraphs))} (${Object.entries(subgraphs)
        .filter(([, v]) => Math.abs(v) >= 0.05 * CENSUS_RUNS)
        .map(([k, v]) => `${k} ${per(v)}`)
        .join(', ')})${errors.length ? `  ERRORS ${errors.length}: ${errors[0]}` : ''}`,
    );
  }
}

function report(phases: Phase[]): void {
  const byTarget = new Map<string, Phase[]>();
  for (const p of phases) byTarget.set(p.target, [...(byTarget.get(p.target) ?? []), p]);
  const rps = (p: Phase) => p.requests / p.seconds;
  console.log(
    `\nmix at concurrency ${CONCURRENCIES.join(', ')}, ${ROUNDS} rounds of ${SECONDS} s per configuration (median of rounds; CPU ms per request):`,
  );
  for (const [target, list] of byTarget) {
    const med = (f: (p: Phase) => number) => median(list.map(f));
    const lat = list.flatMap((p) => p.latencies).sort((a, b) => a - b);
    const requests = list.reduce((a, p) => a + p.requests, 0);
    const cpuPer = (name: string) => (list.reduce((a, p) => a + (p.cpu[name] ?? 0), 0) / requests).toFixed(2);
    const names = Object.keys(list[0]!.cpu);
    const subgraphCpu =
      list.reduce((a, p) => a + sum(Object.fromEntries(Object.entries(p.cpu).filter(([k]) => k !== 'gateway'))), 0) / requests;
    const sql = list.reduce((a, p) => a + sum(p.statements), 0) / requests;
    const errors = list.flatMap((p) => p.errors);
    console.log(
      `  ${target.padEnd(14)} ${med(rps).toFixed(1).padStart(6)} req/s (rounds ${list.map((p) => rps(p).toFixed(1)).join(', ')})  p50 ${percentile(lat, 50).toFixed(0)} ms  p99 ${percentile(lat, 99).toFixed(0)} ms (×${(percentile(lat, 99) / percentile(lat, 50)).toFixed(1)})  ` +
        `CPU/request: ${names.map((n) => `${n} ${cpuPer(n)}`).join(', ')}; subgraphs ${subgraphCpu.toFixed(2)}  SQL/request ${sql.toFixed(2)}  errors ${errors.length}${errors.length ? ` (${[...new Set(errors)].slice(0, 3).join('; ')})` : ''}`,
    );
  }
  // Ratios of this gateway to the others, round by round (same round = same spell of the machine).
  for (const [target, list] of byTarget) {
    // Against this gateway at the same concurrency (a name's `@N` suffix).
    const ours = byTarget.get(`pathway${target.match(/@\d+$/)?.[0] ?? ''}`);
    if (!ours || ours === list) continue;
    const ratios = ours.map((p, i) => rps(p) / rps(list[i]!)).sort((a, b) => a - b);
    const p50s = list.map((p, i) => percentile(p.latencies, 50) / percentile(ours[i]!.latencies, 50)).sort((a, b) => a - b);
    const gw = ours.map((p, i) => p.cpu.gateway! / p.requests / (list[i]!.cpu.gateway! / list[i]!.requests)).sort((a, b) => a - b);
    console.log(
      `  pathway / ${target}: req/s ×${median(ratios).toFixed(2)} (${ratios[0]!.toFixed(2)}–${ratios.at(-1)!.toFixed(2)})` +
        (list[0]!.cpu.gateway !== undefined
          ? `, gateway CPU per request ×${median(gw).toFixed(2)} (${gw[0]!.toFixed(2)}–${gw.at(-1)!.toFixed(2)})`
          : '') +
        `; ${target} p50 / pathway p50 ×${median(p50s).toFixed(2)} (${p50s[0]!.toFixed(2)}–${p50s.at(-1)!.toFixed(2)})`,
    );
  }
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function run(): Promise<void> {
  const stacks: (Stack & { dispose(): Promise<void> })[] = [];
  const children: ChildProcess[] = [];
  try {
    const stack = await benchStack('mix', { RESPONSE_CACHE: 'off', ...RAISED_LIMITS });
    stacks.push(stack);
    const who = await people(stack);
    const targets: Target[] = [];
    for (const name of CONFIGS) {
      if (name === 'pathway') targets.push(pathwayTarget('pathway', stack, who));
      if (name === 'hive' || name === 'apollo') targets.push(await startPeer(name, supergraphFor(stack), who, stack, children));
      if (name === 'direct') targets.push(await directTarget(stack, who));
    }
    if (process.env.BENCH_GATEWAY_BASELINE) targets.push(await baselineGateway(process.env.BENCH_GATEWAY_BASELINE, stack, who, children));
    if (process.env.BENCH_READ_SCOPE_BASELINE === '1') {
      const batch = await benchStack('mix_batch', { RESPONSE_CACHE: 'off', DATABASE_READ_SCOPE: 'batch', ...RAISED_LIMITS });
      stacks.push(batch);
      targets.push(pathwayTarget('pathway-batch', batch, await people(batch)));
    }
    if (process.env.BENCH_ADMISSION_BASELINE === '1') {
      // The gateway without admission control (every client request straight to the subgraphs), as before it.
      const unlimited = await benchStack('mix_unlimited', { RESPONSE_CACHE: 'off', ...RAISED_LIMITS, GATEWAY_MAX_IN_FLIGHT: '1000000' });
      stacks.push(unlimited);
      targets.push(pathwayTarget('pathway-unlimited', unlimited, await people(unlimited)));
    }
    if (process.env.BENCH_PRODUCTION === '1') {
      // The processes as deployments run them: the esbuild bundles under NODE_ENV=production (which
      // wants its own encryption keys; these are the bench's, thrown away with it).
      const key = () => randomBytes(36).toString('base64url');
      const production = await benchStack(
        'mix_prod',
        {
          RESPONSE_CACHE: 'off',
          ...RAISED_LIMITS,
          NODE_ENV: 'production',
          INTEGRATION_SECRET_KEY: key(),
          PROVIDER_SECRET_KEYS: `bench=${key()}`,
        },
        'compiled',
      );
      stacks.push(production);
      targets.push(pathwayTarget('pathway-production', production, await people(production)));
    }
    for (const scale of SCALES) {
      const scaled = await benchStack(`mix_s${String(scale).replace('.', '_')}`, { RESPONSE_CACHE: 'off', ...RAISED_LIMITS });
      stacks.push(scaled);
      const started = performance.now();
      const counts = await seedScale({
        databaseUrl: scaled.databaseUrl,
        mongoUrl: scaled.mongoUrl,
        scale,
        seed: 1,
        mongoScale: Math.min(scale, 0.1),
      });
      console.log(
        `scale ${scale}: ${Object.values(counts)
          .reduce((a, b) => a + b, 0)
          .toLocaleString('en-US')} rows and documents generated in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
      targets.push(pathwayTarget(`pathway-scale${scale}`, scaled, await people(scaled)));
    }
    await measureBackground(targets);
    console.log(
      `machine: ${(await import('node:os')).cpus().length} cores, load average ${loadAverage()} at start; background per second (taken off): ` +
        `${[...background.statements.values()].reduce((a, b) => a + b, 0).toFixed(1)} statements, ${[...background.cpu.values()].reduce((a, b) => a + b, 0).toFixed(1)} ms CPU`,
    );
    if (CENSUS_RUNS > 0) for (const target of targets.filter((t) => t.name.startsWith('pathway'))) await census(target);
    const phases: Phase[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
      for (const concurrency of CONCURRENCIES)
        for (const target of order) {
          await runOperation(target, MIX[0]!); // the first request after a pause pays for nothing else
          phases.push(await phase(target, concurrency));
        }
      console.log(`round ${round + 1} done, load average ${loadAverage()}`);
    }
    const rank = (p: Phase) => {
      const [name, concurrency = '0'] = p.target.split('@');
      return Number(concurrency) * 1000 + targets.findIndex((t) => t.name === name);
    };
    report(phases.sort((a, b) => rank(a) - rank(b)));
  } finally {
    for (const child of children) child.kill('SIGKILL'); // Hive Gateway waits out SIGTERM for its connections
    for (const stack of stacks) await stack.dispose();
  }
}

/** The bench's clients are a few people sending far more than anyone would: limits that never refuse them. */
