// The gateway's response cache: the same catalog and listing queries through a stack with the
// cache on and through one with it off (the baseline), measured in one run; prints latency and
// throughput and their ratios against the baseline.
import { users } from '../demo/ids.ts';
import { benchStack, gql, loginAs, percentile } from './support.ts';

const QUERIES = {
  catalog:
    '{ courses(first: 20) { nodes { id name type outcomeTypes providerPlatform { name type } } pageInfo { hasNextPage endCursor } } }',
  listings: '{ properties(first: 20) { nodes { id propertyType status price currency address { city region } } } }',
};
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

interface Figures {
  p50: number;
  p95: number;
  perSecond: number;
}

/** `REQUESTS` requests, `CONCURRENCY` at a time, after a warm-up that also fills the cache. */
async function measure(url: string, query: string, token: string): Promise<Figures> {
  for (let i = 0; i < 20; i++) await gql(url, query, {}, token);
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) {
        const t0 = performance.now();
        const res = await gql(url, query, {}, token);
        if (res.errors) throw new Error(`bench query failed: ${JSON.stringify(res.errors)}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), perSecond: latencies.length / seconds };
}

async function measureStack(cache: 'on' | 'off'): Promise<Record<string, Figures>> {
  const stack = await benchStack(`response_cache_${cache}`, { RESPONSE_CACHE: cache });
  try {
    const token = await loginAs(stack.gatewayUrl, users.facilityAdmin.username);
    const figures: Record<string, Figures> = {};
    for (const [name, query] of Object.entries(QUERIES)) figures[name] = await measure(stack.gatewayUrl, query, token);
    return figures;
  } finally {
    await stack.dispose();
  }
}

export async function run(): Promise<void> {
  const baseline = await measureStack('off');
  const cached = await measureStack('on');
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  for (const name of Object.keys(QUERIES)) {
    const off = baseline[name]!;
    const on = cached[name]!;
    console.log(
      `${name}: cache off p50 ${ms(off.p50)} p95 ${ms(off.p95)} ${off.perSecond.toFixed(0)} req/s | cache on p50 ${ms(on.p50)} p95 ${ms(on.p95)} ${on.perSecond.toFixed(0)} req/s` +
        ` | p50 ×${(on.p50 / off.p50).toFixed(2)}, throughput ×${(on.perSecond / off.perSecond).toFixed(2)} (${REQUESTS} requests, ${CONCURRENCY} at a time)`,
    );
  }
}
