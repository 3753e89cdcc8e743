// Graceful shutdown of a gateway of this file's own: on SIGTERM it first says it is not ready, tells
// its subscribers to reconnect (close 1012, "resume after your last cursor"), lets the request in
// flight finish, then exits 0. Its identity subgraph is behind a test proxy that holds one operation
// for a while, so that request is still in flight when the signal comes. (Jobs going back to the
// queue on shutdown: packages/kit/test/jobs.test.ts.)
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../scripts/stack.ts';
import { gql, tokenFor } from './support/client.ts';
import { startGateway, subgraphEnv, type Service } from './support/processes.ts';
import { collect, wsClient } from './support/subscriptions.ts';

const HOLD_MS = 2_000;
let proxy: http.Server;
let proxyUrl: string;
let gateway: Service;
let token: string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  const target = inject('subgraphUrls').identity!.replace(/\/graphql$/, '');
  proxy = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (body.includes('OpsShutdownSlow')) await sleep(HOLD_MS);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)) as [string, string][],
    );
    const upstream = await fetch(target + req.url, { method: req.method, headers, body: req.method === 'GET' ? undefined : body });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => proxy.listen(port, resolve));
  proxyUrl = `http://localhost:${port}/graphql`;
  gateway = await startGateway({ ...subgraphEnv({ identity: proxyUrl }), SHUTDOWN_DRAIN_MS: '600' });
  token = await tokenFor('facility.admin');
}, 120_000);
afterAll(async () => {
  await gateway?.stop();
  proxy?.close();
});

describe('graceful shutdown', () => {
  it('finishes the request in flight, tells subscribers to reconnect with their cursor, and exits 0', { timeout: 60_000 }, async () => {
    const client = wsClient(token, gateway.url);
    const subscription = collect(client, 'subscription { assetTransferred { cursor } }');
    await sleep(500); // the subscription is registered

    const inFlight = gql<{ me: { id: string } }>('query OpsShutdownSlow { me { id } }', {}, { url: gateway.url, token });
    await sleep(300); // the request is held at the proxy
    const exited = gateway.stop();
    await sleep(200);
    // Draining: still answering, but no longer ready, so a load balancer stops sending.
    expect((await fetch(`${gateway.base}/readyz`)).status).toBe(503);

    const closed = (await subscription.closed) as { code?: number; reason?: string };
    expect(closed.code).toBe(1012);
    expect(closed.reason).toMatch(/Reconnect and resume after your last cursor/);

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data?.me.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await exited).toBe(0);
    await expect(fetch(`${gateway.base}/healthz`)).rejects.toThrow();
    await client.dispose();
  });
});
