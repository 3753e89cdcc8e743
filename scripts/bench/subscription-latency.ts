// End-to-end latency of an event: mutation committed (its HTTP response received) → each of N
// connected subscribers receives the event through the gateway. N = BENCH_SUBSCRIBERS (1000).
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { demoId, users } from '../demo/ids.ts';
import { benchStack, gql, loginAs, percentile } from './support.ts';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10);
const ASSET = demoId('f2', 2);
const SUBSCRIBE = 'subscription { assetTransferred { cursor toOwnerId asset { id name } } }';
const TRANSFER = 'mutation($a: ID!, $to: ID!) { transferDigitalAsset(assetId: $a, toUserId: $to) { id } }';

export async function run(): Promise<void> {
  const stack = await benchStack('subs', { MAX_WS_CONNECTIONS_PER_USER: String(SUBSCRIBERS + 10) });
  try {
    const token = await loginAs(stack.gatewayUrl, users.deptAdmin.username);
    const adminToken = await loginAs(stack.gatewayUrl, users.sysadmin.username);
    const wsUrl = stack.gatewayUrl.replace(/^http/, 'ws');
    const latencies: number[] = [];
    const mutationTimes: number[] = [];
    let sentAt = 0;
    let received = 0;
    let onAll: (() => void) | null = null;
    const clients = Array.from({ length: SUBSCRIBERS }, () => createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 }));
    await Promise.all(
      clients.map(
        (client) =>
          new Promise<void>((ready) => {
            client.on('connected', () => ready());
            client.subscribe({ query: SUBSCRIBE }, {
              next: () => {
                latencies.push(performance.now() - sentAt);
                if (++received === SUBSCRIBERS) onAll?.();
              },
              error: (e) => console.error('subscriber error', e),
              complete: () => {},
            });
          }),
      ),
    );
    await new Promise((r) => setTimeout(r, 1000)); // let every subscription register
    const owners = [users.residentGarcia.id, users.residentLee.id];
    for (let i = 0; i < EVENTS; i++) {
      received = 0;
      const all = new Promise<void>((resolve) => (onAll = resolve));
      // Measured from sending the mutation (an upper bound on "from commit"); its round trip is reported too.
      sentAt = performance.now();
      const res = await gql(stack.gatewayUrl, TRANSFER, { a: ASSET, to: owners[i % 2] }, adminToken);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      mutationTimes.push(performance.now() - sentAt);
      await all;
    }
    latencies.sort((a, b) => a - b);
    console.log(`${SUBSCRIBERS} subscribers × ${EVENTS} events = ${latencies.length} deliveries`);
    mutationTimes.sort((a, b) => a - b);
    console.log(`mutation round trip: p50 ${percentile(mutationTimes, 50).toFixed(1)} ms`);
    console.log(`latency mutation sent → subscriber: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`);
    await Promise.all(clients.map((c) => c.dispose()));
  } finally {
    await stack.dispose();
  }
}
