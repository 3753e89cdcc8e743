import http from 'node:http';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { serveHealth } from '../src/health.ts';
import { createLogger } from '../src/logger.ts';

const servers: http.Server[] = [];
afterAll(() => servers.forEach((s) => s.close()));

async function serve(checks: Parameters<typeof serveHealth>[2]) {
  const app = express();
  const health = serveHealth(app, 'test', checks, createLogger('health-test', 'silent'));
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as { port: number };
  const get = async (path: string) => {
    const response = await fetch(`http://localhost:${port}${path}`);
    return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, string> } };
  };
  return { get, health };
}

describe('kit health probes', () => {
  it('is ready only when every check passes, naming the one that failed and why', async () => {
    let databaseUp = true;
    const { get } = await serve(() => [
      {
        name: 'postgres',
        check: async () => {
          if (!databaseUp) throw new Error('connection refused');
        },
      },
      { name: 'redis', check: async () => {} },
    ]);
    expect(await get('/readyz')).toEqual({
      status: 200,
      body: { status: 'ready', service: 'test', checks: { postgres: 'ok', redis: 'ok' } },
    });
    databaseUp = false;
    const down = await get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body.checks).toEqual({ postgres: 'connection refused', redis: 'ok' });
    expect((await get('/healthz')).status).toBe(200);
  });

  it('counts a check that hangs as failed instead of hanging the probe', async () => {
    const { get } = await serve(() => [{ name: 'mongo', check: () => new Promise(() => {}) }]);
    const started = Date.now();
    const res = await get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.checks.mongo).toMatch(/no answer within/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('says "shutting down" once draining, while staying alive', async () => {
    const { get, health } = await serve(() => []);
    expect((await get('/readyz')).status).toBe(200);
    health.drain();
    expect(await get('/readyz')).toEqual({ status: 503, body: { status: 'shutting down', service: 'test', checks: {} } });
    expect((await get('/healthz')).status).toBe(200);
  });
});
