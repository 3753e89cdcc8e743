// /healthz and /readyz over real HTTP: every subgraph checks Postgres, its migrations, Redis and
// Mongo (the project's mongo-wire stand-in in tests); the gateway checks its supergraph, Redis and
// every subgraph, so a subgraph that goes down makes the gateway not ready while it stays alive.
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { gql } from './support/client.ts';
import { startGateway, startSubgraph, subgraphEnv, type Service } from './support/processes.ts';

const started: Service[] = [];
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
});

const base = (url: string) => url.replace(/\/graphql$/, '');
const probe = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, string> } };
};

describe('health and readiness probes', () => {
  it('every subgraph is alive and ready: Postgres, migrations applied, Redis, Mongo (stand-in) all checked', async () => {
    for (const [name, url] of Object.entries(inject('subgraphUrls'))) {
      expect((await probe(`${base(url)}/healthz`)).status, name).toBe(200);
      const ready = await probe(`${base(url)}/readyz`);
      expect(ready.status, name).toBe(200);
      expect(ready.body.checks, name).toEqual({ postgres: 'ok', migrations: 'ok', redis: 'ok', mongo: 'ok' });
    }
  });

  it('the gateway is ready when its supergraph is loaded, Redis answers and every subgraph is ready', async () => {
    const ready = await probe(`${base(inject('gatewayUrl'))}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({
      supergraph: 'ok',
      redis: 'ok',
      'subgraph:behavior': 'ok',
      'subgraph:campus': 'ok',
      'subgraph:identity': 'ok',
      'subgraph:learning': 'ok',
      'subgraph:market': 'ok',
    });
  });

  it(
    'a subgraph going down makes the gateway not ready (naming it) while it stays alive and serves the rest',
    { timeout: 180_000 },
    async () => {
      const market = await startSubgraph('market');
      started.push(market);
      const gateway = await startGateway(subgraphEnv({ market: market.url }));
      started.push(gateway);
      expect((await probe(`${gateway.base}/readyz`)).status).toBe(200);

      expect(await market.stop()).toBe(0);
      const notReady = await probe(`${gateway.base}/readyz`);
      expect(notReady.status).toBe(503);
      expect(notReady.body.checks['subgraph:market']).toMatch(/market did not answer/);
      expect(notReady.body.checks['subgraph:identity']).toBe('ok');
      expect((await probe(`${gateway.base}/healthz`)).status).toBe(200);
      // Alive: what does not need market is still answered.
      const res = await gql<{ __typename: string }>('{ __typename }', {}, { url: gateway.url });
      expect(res.data?.__typename).toBe('Query');
    },
  );

  it('a stopping subgraph says it is not ready before it stops serving', { timeout: 120_000 }, async () => {
    const behavior = await startSubgraph('behavior', { SHUTDOWN_DRAIN_MS: '1500' });
    started.push(behavior);
    const exited = behavior.stop();
    await new Promise((r) => setTimeout(r, 300));
    const draining = await probe(`${behavior.base}/readyz`);
    expect(draining.status).toBe(503);
    expect(draining.body.status).toBe('shutting down');
    expect((await probe(`${behavior.base}/healthz`)).status).toBe(200);
    expect(await exited).toBe(0);
  });
});
