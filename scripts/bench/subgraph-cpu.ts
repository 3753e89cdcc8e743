// Subgraph CPU per operation (issue 16's goals: dashboard ≤ 10 ms, profile ≤ 20, roster ≤ 10),
// each operation of the mix alone, through this gateway, from /proc. BENCH_VARIANTS compares stacks
// in one run: `name:KEY=value,KEY=value;name2:…` (default one stack, `base:`), each variant a stack of
// its own with those environment overrides; a variant named `name@/path/to/checkout` starts its
// stack from another checkout of the repository (e.g. the commit before a change). Variants and
// operations take turns in BENCH_ROUNDS (3) rounds of BENCH_RUNS (20) requests per operation, at
// BENCH_CONCURRENCY (2) in flight, so a busy spell of the shared machine falls on all of them.
// BENCH_CPU_PROF=1 runs every process under `node --cpu-prof` and prints the heaviest functions of
// each subgraph (self and inclusive time, aggregated from the .cpuprofile files written on exit).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MIX, PEOPLE, type Operation, type Person, type RunState } from './mix-operations.ts';
import { cpuMs, loadAverage, pidListeningOn } from './proc.ts';
import type { Stack } from '../stack.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const OPS = (process.env.BENCH_OPS ?? 'dashboard,profile,roster').split(',');
const PROFILE = process.env.BENCH_CPU_PROF === '1';
const TOP = Number(process.env.BENCH_CPU_PROF_TOP ?? 25);
const root = path.resolve(import.meta.dirname, '../..');

interface Variant {
  name: string;
  root: string;
  env: Record<string, string>;
}

function variants(): Variant[] {
  return (process.env.BENCH_VARIANTS ?? 'base:').split(';').map((spec) => {
    const [head, rest = ''] = spec.split(/:(.*)/s) as [string, string?];
    const [name, from] = head.split('@') as [string, string?];
    const env = Object.fromEntries(
      rest
        .split(',')
        .filter(Boolean)
        .map((kv) => kv.split(/=(.*)/s).slice(0, 2) as [string, string]),
    );
    return { name, root: from ? path.resolve(from) : root, env };
  });
}

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };

interface Running {
  variant: Variant;
  stack: Stack & { dispose(): Promise<void> };
  tokens: Record<Person, string>;
  subgraphs: Record<string, number>;
  profileDir: string;
  /** The measured spans, on the monotonic clock (µs) the profiles' timestamps use too. */
  windows: [number, number][];
}

async function start(variant: Variant): Promise<Running> {
  // The checkout's own bench support, so its stack runs its own sources.
  const support = (await import(path.join(variant.root, 'scripts/bench/support.ts'))) as typeof import('./support.ts');
  const profileDir = path.join(root, '.pathway', 'bench', `cpu-prof-${process.pid}-${variant.name}`);
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });
  const env: Record<string, string> = { RESPONSE_CACHE: 'off', ...support.RAISED_LIMITS, ...variant.env };
  // Node 20 refuses --cpu-prof in NODE_OPTIONS: a preloaded module profiles through the inspector instead.
  if (PROFILE)
    Object.assign(env, { NODE_OPTIONS: `--import ${path.join(root, 'scripts/bench/cpu-profiler.mjs')}`, PATHWAY_CPU_PROF_DIR: profileDir });
  const stack = await support.benchStack(`cpu_${variant.name.replace(/[^A-Za-z0-9_]/g, '_')}`, env);
  const tokens = {} as Record<Person, string>;
  for (const [person, username] of Object.entries(PEOPLE) as [Person, string][])
    tokens[person] = await support.loginAs(stack.gatewayUrl, username);
  const subgraphs = Object.fromEntries(
    Object.entries(stack.subgraphUrls).map(([name, url]) => [name, pidListeningOn(Number(new URL(url).port))]),
  );
  return { variant, stack, tokens, subgraphs, profileDir, windows: [] };
}

async function runOperation(target: Running, op: Operation): Promise<number> {
  const state: RunState = {};
  let errors = 0;
  for (const step of op.steps) {
    const res = await fetch(target.stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${target.tokens[step.as]}` },
      body: JSON.stringify({ query: step.query, variables: step.variables(state) }),
    });
    const body = (await res.json()) as Body;
    if (body.errors?.length || !body.data) {
      errors++;
      if (errors === 1) console.log(`  ${target.variant.name} ${op.name}: ${JSON.stringify(body.errors).slice(0, 300)}`);
      break;
    }
    step.after?.(body.data, state);
  }
  return errors;
}

/** Statements each subgraph has sent so far (`pathway_db_statements_total` on its /metrics). */
async function statementsOf(target: Running): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, url] of Object.entries(target.stack.subgraphUrls)) {
    const text = await (await fetch(`http://127.0.0.1:${new URL(url).port}/metrics`)).text();
    out[name] = Number(/^pathway_db_statements_total (\S+)$/m.exec(text)?.[1] ?? NaN);
  }
  return out;
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
const cpuOf = (pids: Record<string, number>) => Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));

/** CPU per process per second with nothing sent (the outbox relays' polls), taken off each measurement. */
async function background(target: Running, seconds = 4): Promise<Record<string, number>> {
  const before = cpuOf(target.subgraphs);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = cpuOf(target.subgraphs);
  return Object.fromEntries(Object.entries(after).map(([name, v]) => [name, (v - before[name]!) / seconds]));
}

/** `RUNS` runs of `op`, `CONCURRENCY` at a time: each subgraph's CPU ms per run, and its SQL statements per run. */
async function measure(
  target: Running,
  op: Operation,
  idle: Record<string, number>,
): Promise<{ cpu: Record<string, number>; statements: Record<string, number> }> {
  await runOperation(target, op); // warm, and the first request after a pause pays for nothing else
  const statements0 = await statementsOf(target);
  const before = cpuOf(target.subgraphs);
  const started = performance.now();
  const from = monotonicUs();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < RUNS) await runOperation(target, op);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const after = cpuOf(target.subgraphs);
  target.windows.push([from, monotonicUs()]);
  const statements1 = await statementsOf(target);
  return {
    cpu: Object.fromEntries(Object.entries(after).map(([name, v]) => [name, (v - before[name]! - idle[name]! * seconds) / RUNS])),
    // The idle relays' polls (a few per second) fall into this too: read it as an upper bound.
    statements: Object.fromEntries(Object.entries(statements1).map(([name, v]) => [name, (v - statements0[name]!) / RUNS])),
  };
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

export async function run(): Promise<void> {
  const list = variants();
  const ops = MIX.filter((op) => OPS.includes(op.name));
  const running: Running[] = [];
  try {
    for (const variant of list) running.push(await start(variant));
    const idle = new Map<Running, Record<string, number>>();
    for (const target of running) idle.set(target, await background(target));
    console.log(`load average ${loadAverage()} at start; ${ROUNDS} rounds × ${RUNS} runs per operation at ${CONCURRENCY} in flight`);
    // results[variant][op] = one record per round
    const results = new Map<string, Map<string, Record<string, number>[]>>();
    const sql = new Map<string, Record<string, number>[]>();
    for (let round = 0; round < ROUNDS; round++) {
      const order = running.map((_, i) => running[(i + round) % running.length]!);
      for (const op of ops)
        for (const target of order) {
          const byOp = results.get(target.variant.name) ?? new Map<string, Record<string, number>[]>();
          results.set(target.variant.name, byOp);
          const { cpu, statements } = await measure(target, op, idle.get(target)!);
          byOp.set(op.name, [...(byOp.get(op.name) ?? []), cpu]);
          const key = `${target.variant.name}|${op.name}`;
          sql.set(key, [...(sql.get(key) ?? []), statements]);
        }
      console.log(`round ${round + 1} done, load average ${loadAverage()}`);
    }
    console.log('\nsubgraph CPU ms per operation (median of rounds; per subgraph, then the sum; rounds of the sum in brackets):');
    const first = list[0]!.name;
    for (const op of ops) {
      for (const variant of list) {
        const rounds = results.get(variant.name)!.get(op.name)!;
        const names = Object.keys(rounds[0]!);
        const per = names.map((n) => `${n} ${median(rounds.map((r) => r[n]!)).toFixed(1)}`).join(', ');
        const totals = rounds.map(sum);
        let ratio = '';
        if (variant.name !== first) {
          const base = results.get(first)!.get(op.name)!.map(sum);
          const ratios = totals.map((t, i) => t / base[i]!).sort((a, b) => a - b);
          ratio = `  ×${median(ratios).toFixed(2)} of ${first} (${ratios[0]!.toFixed(2)}–${ratios.at(-1)!.toFixed(2)})`;
        }
        const statements = sql.get(`${variant.name}|${op.name}`)!;
        const sqlPer = names
          .map((n) => [n, median(statements.map((r) => r[n]!))] as const)
          .filter(([, v]) => v >= 0.5)
          .map(([n, v]) => `${n} ${v.toFixed(1)}`)
          .join(', ');
        console.log(
          `  ${op.name.padEnd(12)} ${variant.name.padEnd(12)} ${median(totals).toFixed(1).padStart(6)} (${totals.map((t) => t.toFixed(1)).join(', ')})  ${per}${ratio}  SQL ${median(statements.map(sum)).toFixed(1)} (${sqlPer})`,
        );
      }
    }
    if (PROFILE) for (const target of running) await printProfiles(target);
  } finally {
    for (const target of running) await target.stack.dispose();
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives, shortened: the package (`@prisma/client`), or the repository path. */
function place(url: string): string {
  const file = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (pkg) return pkg[1]!;
  if (file.startsWith(root)) return path.relative(root, file);
  return file || '(native)';
}

/**
 * Self and inclusive milliseconds by function and by package, from a .cpuprofile's samples taken
 * inside `windows` (the start and the other work between measurements left out); idle time is not CPU.
 */
export function aggregate(profile: CpuProfile, windows: [number, number][]) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfByNode = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (!windows.some(([from, to]) => at >= from && at <= to)) return;
    if (byId.get(id)!.callFrame.functionName === '(idle)') return;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + delta / 1000);
  });
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const selfPkg = new Map<string, number>();
  const totalPkg = new Map<string, number>();
  let all = 0;
  for (const [id, ms] of selfByNode) {
    all += ms;
    const node = byId.get(id)!;
    const key = `${node.callFrame.functionName || '(anonymous)'} ${place(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + ms);
    const pkg = place(node.callFrame.url);
    selfPkg.set(pkg, (selfPkg.get(pkg) ?? 0) + ms);
    // Inclusive: once per distinct function (and package) on the stack (recursion counted once).
    const seen = new Set<string>();
    const seenPkg = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const f = byId.get(node)!.callFrame;
      const k = `${f.functionName || '(anonymous)'} ${place(f.url)}:${f.lineNumber + 1}`;
      const p = place(f.url);
      if (!seenPkg.has(p)) totalPkg.set(p, (totalPkg.get(p) ?? 0) + ms);
      seenPkg.add(p);
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + ms);
    }
  }
  return { all, self, total, selfPkg, totalPkg };
}

/** Asks each subgraph for its profile (SIGUSR2, cpu-profiler.mjs) and prints where its CPU went. */
async function printProfiles(target: Running): Promise<void> {
  for (const [name, pid] of Object.entries(target.subgraphs)) {
    const file = `CPU.${pid}.cpuprofile`;
    process.kill(pid, 'SIGUSR2');
    for (let i = 0; i < 100 && !existsSync(path.join(target.profileDir, file)); i++) await new Promise((r) => setTimeout(r, 200));
    if (!existsSync(path.join(target.profileDir, file))) {
      console.log(`\n${target.variant.name} ${name}: no profile (pid ${pid})`);
      continue;
    }
    writeFileSync(path.join(target.profileDir, 'windows.json'), JSON.stringify(target.windows));
    const { all, self, total, selfPkg, totalPkg } = aggregate(
      JSON.parse(readFileSync(path.join(target.profileDir, file), 'utf8')) as CpuProfile,
      target.windows,
    );
    const top = (m: Map<string, number>, n: number) =>
      [...m.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, ms]) => `    ${((ms / all) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms  ${k}`)
        .join('\n');
    console.log(`\n${target.variant.name} ${name}: ${all.toFixed(0)} ms sampled (${target.profileDir}/${file})`);
    console.log(`  self time by package:\n${top(selfPkg, 15)}`);
    console.log(`  inclusive time by package (anywhere on the stack):\n${top(totalPkg, 25)}`);
    console.log(`  self time by function:\n${top(self, TOP)}`);
    console.log(`  inclusive time by function:\n${top(total, TOP)}`);
  }
}
