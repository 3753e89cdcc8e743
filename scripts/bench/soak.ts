// A soak: the apps' mix (mix-operations.ts) through this gateway, BENCH_CONCURRENCY (8) clients for
// BENCH_SOAK_SECONDS (600), while BENCH_SOAK_SUBSCRIBERS (20) graphql-ws subscribers receive the
// behavior events the mix's round trips publish. Every BENCH_SOAK_SAMPLE_SECONDS (30) it samples
// each process's resident memory (/proc VmRSS), Redis's memory and event stream length, Postgres's
// connections, and the window's requests/s, p50/p99, errors and events delivered. A leak shows as
// memory still rising after the first windows: it prints the growth per 10 minutes fitted over the
// second half of the run (least squares), with the first and last samples. The stack runs compiled
// (the esbuild bundles `pnpm start` runs), as in production.
import { readFileSync } from 'node:fs';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { connectRedis, EVENT_STREAM } from '@pathway/kit';
import pg from 'pg';
import { MIX, PEOPLE, type Person, type RunState } from './mix-operations.ts';
import { pidListeningOn } from './proc.ts';
import { benchStack, loginAs, percentile, RAISED_LIMITS } from './support.ts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const SAMPLE_SECONDS = Number(process.env.BENCH_SOAK_SAMPLE_SECONDS ?? 30);
const SUBSCRIBERS = Number(process.env.BENCH_SOAK_SUBSCRIBERS ?? 20);
const MB = 2 ** 20;

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };

interface Window {
  requests: number;
  latencies: number[];
  errors: Map<string, number>;
  events: number;
}
const emptyWindow = (): Window => ({ requests: 0, latencies: [], errors: new Map(), events: 0 });

interface Sample {
  atSeconds: number;
  rssMb: Record<string, number>;
  redisMb: number;
  streamLength: number;
  connections: number;
  window: Window;
}

/** Resident memory of a process in MB (VmRSS). */
function rssMb(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** Slope of `ys` over `xs` (least squares), per unit of x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const num = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
  const den = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

export async function run(): Promise<void> {
  const stack = await benchStack(
    'soak',
    { RESPONSE_CACHE: 'off', ...RAISED_LIMITS, MAX_WS_CONNECTIONS_PER_USER: String(SUBSCRIBERS + 5) },
    'compiled',
  );
  const redis = connectRedis(stack.redisUrl, 'bench-soak');
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  const sockets: ReturnType<typeof createClient>[] = [];
  try {
    const portOf = (url: string) => Number(new URL(url).port);
    const pids: Record<string, number> = { gateway: pidListeningOn(portOf(stack.gatewayUrl)) };
    for (const [name, url] of Object.entries(stack.subgraphUrls)) pids[name] = pidListeningOn(portOf(url));

    // Tokens last 15 minutes; renewed every 5 so a longer soak never runs on an expired one.
    const tokens = {} as Record<Person, string>;
    const signIn = async () => {
      for (const [person, username] of Object.entries(PEOPLE) as [Person, string][])
        tokens[person] = await loginAs(stack.gatewayUrl, username);
    };
    await signIn();
    const renew = setInterval(() => void signIn().catch((error: unknown) => console.error('renewing tokens failed', error)), 300_000);

    let window = emptyWindow();
    const subscriberToken = tokens.facilityAdmin;
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const client = createClient({
        url: stack.gatewayUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${subscriberToken}` },
        retryAttempts: Infinity,
      });
      sockets.push(client);
      client.subscribe(
        { query: 'subscription { behaviorRequestChanged { cursor status request { id status } } }' },
        {
          next: () => void window.events++,
          error: (error) => window.errors.set('subscription', (window.errors.get('subscription') ?? 0) + (error ? 1 : 0)),
          complete: () => {},
        },
      );
    }

    const send = async (person: Person, query: string, variables: Record<string, unknown>): Promise<Body> => {
      const res = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[person]}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as Body;
    };
    const deadline = performance.now() + SECONDS * 1000;
    const client = async (offset: number) => {
      for (let i = offset; performance.now() < deadline; i++) {
        const op = MIX[i % MIX.length]!;
        const state: RunState = {};
        for (const step of op.steps) {
          const started = performance.now();
          const body = await send(step.as, step.query, step.variables(state)).catch(
            (error: Error) => ({ errors: [{ message: error.message }] }) as Body,
          );
          window.latencies.push(performance.now() - started);
          window.requests++;
          if (body.errors?.length || !body.data) {
            const code = `${op.name}: ${body.errors?.[0]?.extensions?.code ?? body.errors?.[0]?.message ?? 'no data'}`;
            window.errors.set(code, (window.errors.get(code) ?? 0) + 1);
            break;
          }
          step.after?.(body.data, state);
        }
      }
    };

    const samples: Sample[] = [];
    const started = performance.now();
    const sample = async () => {
      const info = await redis.info('memory');
      const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()');
      samples.push({
        atSeconds: Math.round((performance.now() - started) / 1000),
        rssMb: Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssMb(pid)])),
        redisMb: Number(/^used_memory:(\d+)/m.exec(info)?.[1]) / MB,
        streamLength: await redis.xlen(EVENT_STREAM),
        connections: Number(rows[0]!.n),
        window,
      });
      window = emptyWindow();
    };
    await sample();
    const sampler = setInterval(() => void sample(), SAMPLE_SECONDS * 1000);
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => client(i)));
    clearInterval(sampler);
    clearInterval(renew);
    await sample();
    report(samples);
  } finally {
    await Promise.allSettled(sockets.map((s) => s.dispose()));
    await Promise.allSettled([redis.quit(), db.end()]);
    await stack.dispose();
  }
}

function report(samples: Sample[]): void {
  console.log(
    `soak: ${SECONDS} s, ${CONCURRENCY} clients, ${SUBSCRIBERS} subscribers, a sample every ${SAMPLE_SECONDS} s (stack compiled)`,
  );
  console.log(
    'at s   req/s   p50 ms  p99 ms  errors  events  pg conns  redis MB  stream   ' +
      Object.keys(samples[0]!.rssMb)
        .map((n) => n.padStart(9))
        .join(''),
  );
  for (const [i, s] of samples.entries()) {
    const seconds = i === 0 ? 0 : s.atSeconds - samples[i - 1]!.atSeconds;
    const sorted = [...s.window.latencies].sort((a, b) => a - b);
    const errors = [...s.window.errors.values()].reduce((a, b) => a + b, 0);
    console.log(
      [
        String(s.atSeconds).padStart(4),
        (seconds ? s.window.requests / seconds : 0).toFixed(1).padStart(7),
        percentile(sorted, 50).toFixed(0).padStart(8),
        percentile(sorted, 99).toFixed(0).padStart(7),
        String(errors).padStart(7),
        String(s.window.events).padStart(7),
        String(s.connections).padStart(9),
        s.redisMb.toFixed(1).padStart(9),
        String(s.streamLength).padStart(8),
        ...Object.values(s.rssMb).map((mb) => mb.toFixed(0).padStart(9)),
      ].join(' '),
    );
  }
  const errors = new Map<string, number>();
  for (const s of samples) for (const [code, n] of s.window.errors) errors.set(code, (errors.get(code) ?? 0) + n);
  console.log(`errors in all: ${errors.size ? [...errors].map(([code, n]) => `${code} ×${n}`).join(', ') : 'none'}`);
  // The second half: past warm-up (JIT, pools, caches filling), what still grows is what leaks.
  const late = samples.slice(Math.floor(samples.length / 2));
  const xs = late.map((s) => s.atSeconds / 600);
  const first = samples[0]!;
  const last = samples.at(-1)!;
  for (const name of Object.keys(first.rssMb)) {
    const perTen = slope(
      xs,
      late.map((s) => s.rssMb[name]!),
    );
    console.log(
      `${name.padEnd(9)} RSS ${first.rssMb[name]!.toFixed(0)} → ${last.rssMb[name]!.toFixed(0)} MB (peak ${Math.max(...samples.map((s) => s.rssMb[name]!)).toFixed(0)}), ` +
        `second half ${perTen >= 0 ? '+' : ''}${perTen.toFixed(1)} MB per 10 min`,
    );
  }
  console.log(
    `redis ${first.redisMb.toFixed(1)} → ${last.redisMb.toFixed(1)} MB, stream ${first.streamLength} → ${last.streamLength} entries (capped at 100,000); ` +
      `postgres connections ${first.connections} → ${last.connections}`,
  );
}
