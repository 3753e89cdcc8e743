// Prometheus /metrics on the gateway and the subgraphs, over real HTTP: the metrics are there and
// move with traffic. The gateway measured is one of this file's own (its counters start at zero and
// no other test's traffic reaches it); the scrape token is required there.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gql, tokenFor } from './support/client.ts';
import { scrape, startGateway, type Service } from './support/processes.ts';
import { collect, wsClient } from './support/subscriptions.ts';

const METRICS_TOKEN = 'ops-metrics-scrape-token-0123456789';
let gateway: Service;
let token: string;

beforeAll(async () => {
  gateway = await startGateway({ METRICS_TOKEN });
  token = await tokenFor('facility.admin');
}, 120_000);
afterAll(async () => {
  await gateway?.stop();
});

const base = (url: string) => url.replace(/\/graphql$/, '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Prometheus metrics', () => {
  it('answers only a scraper with the token when one is configured', async () => {
    expect((await fetch(`${gateway.base}/metrics`)).status).toBe(401);
    expect((await fetch(`${gateway.base}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const read = await scrape(gateway.base, METRICS_TOKEN);
    expect(read('pathway_process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('counts operations by name and outcome, errors by code, and times operations and subgraph fetches', async () => {
    const before = await scrape(gateway.base, METRICS_TOKEN);
    const ok = await gql('query OpsMetricsMe { me { id } }', {}, { url: gateway.url, token });
    expect(ok.errors).toBeUndefined();
    const denied = await gql('query OpsMetricsMe { me { id } }', {}, { url: gateway.url });
    expect(denied.errors?.length).toBeGreaterThan(0);
    const after = await scrape(gateway.base, METRICS_TOKEN);
    const delta = (name: string, labels: Record<string, string>) => (after(name, labels) ?? 0) - (before(name, labels) ?? 0);

    expect(delta('pathway_graphql_requests_total', { operation: 'OpsMetricsMe', outcome: 'ok' })).toBe(1);
    expect(delta('pathway_graphql_requests_total', { operation: 'OpsMetricsMe', outcome: 'error' })).toBe(1);
    const code = denied.errors![0]!.extensions!.code!;
    expect(delta('pathway_graphql_errors_total', { code })).toBeGreaterThanOrEqual(1);
    expect(delta('pathway_graphql_request_duration_seconds_count', { operation: 'OpsMetricsMe' })).toBe(2);
    expect(delta('pathway_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'identity' })).toBeGreaterThanOrEqual(1);
  });

  it('counts response-cache hits and misses', async () => {
    const listings = `query OpsMetricsListings($search: String!) { properties(filter: { search: $search }) { nodes { id } } }`;
    const variables = { search: `ops-metrics-${randomUUID()}` };
    let hit = false;
    for (let i = 0; i < 30 && !hit; i++) {
      const res = await gql(listings, variables, { url: gateway.url, token });
      hit = res.headers?.get('age') != null;
      if (!hit) await sleep(100);
    }
    expect(hit).toBe(true);
    const read = await scrape(gateway.base, METRICS_TOKEN);
    expect(read('pathway_gateway_cache_lookups_total', { cache: 'response', result: 'miss' })).toBeGreaterThanOrEqual(1);
    expect(read('pathway_gateway_cache_lookups_total', { cache: 'response', result: 'hit' })).toBeGreaterThanOrEqual(1);
  });

  it('shows open subscription connections and subscriptions, and the event-stream lag', async () => {
    const client = wsClient(token, gateway.url);
    const seen = collect(client, 'subscription { assetTransferred { cursor } }');
    let read = await scrape(gateway.base, METRICS_TOKEN);
    for (let i = 0; i < 30 && read('pathway_gateway_active_subscriptions') !== 1; i++) {
      await sleep(100);
      read = await scrape(gateway.base, METRICS_TOKEN);
    }
    expect(read('pathway_gateway_active_subscriptions')).toBe(1);
    expect(read('pathway_gateway_websocket_connections')).toBe(1);
    expect(read('pathway_event_stream_lag_seconds')).toBeGreaterThanOrEqual(0);
    seen.stop();
    await client.dispose();
    for (let i = 0; i < 30 && read('pathway_gateway_websocket_connections') !== 0; i++) {
      await sleep(100);
      read = await scrape(gateway.base, METRICS_TOKEN);
    }
    expect(read('pathway_gateway_active_subscriptions')).toBe(0);
    expect(read('pathway_gateway_websocket_connections')).toBe(0);
  });

  it('each subgraph shows its operations, database pool, outbox backlogs (Postgres and MongoDB documents), stream consumer lag and job queue', async () => {
    for (const [name, url] of Object.entries(inject('subgraphUrls'))) {
      const read = await scrape(base(url));
      expect(read('pathway_db_pool_connections', { state: 'total' }), name).toBeGreaterThanOrEqual(1);
      expect(read('pathway_db_pool_connections', { state: 'waiting' }), name).toBeGreaterThanOrEqual(0);
      expect(read('pathway_outbox_events', { subgraph: name, outbox: 'postgres', measure: 'pending' }), name).toBeGreaterThanOrEqual(0);
      expect(read('pathway_outbox_events', { subgraph: name, outbox: 'postgres', measure: 'lag_seconds' }), name).toBeGreaterThanOrEqual(0);
      expect(read('pathway_job_queue_jobs', { queue: name, state: 'waiting' }), name).toBeGreaterThanOrEqual(0);
    }
    // Market's digital assets carry their events on the documents (a MongoDB outbox, here mongo-wire's).
    const market = await scrape(base(inject('subgraphUrls').market!));
    const assets = { subgraph: 'market', outbox: 'mongo:digital_assets' };
    expect(market('pathway_outbox_events', { ...assets, measure: 'pending' })).toBeGreaterThanOrEqual(0);
    expect(market('pathway_outbox_events', { ...assets, measure: 'lag_seconds' })).toBeGreaterThanOrEqual(0);
    // Identity reads the event stream through its webhook consumer group: how far behind it is.
    const identityRead = await scrape(base(inject('subgraphUrls').identity!));
    const webhooks = { group: 'identity-webhooks' };
    expect(identityRead('pathway_stream_group_lag_seconds', webhooks)).toBeGreaterThanOrEqual(0);
    expect(identityRead('pathway_stream_group_entries', { ...webhooks, state: 'pending' })).toBeGreaterThanOrEqual(0);
    expect(identityRead('pathway_stream_group_entries', { ...webhooks, state: 'undelivered' })).toBeGreaterThanOrEqual(0);
    // Subgraphs without a consumer group have no such gauge values.
    expect(market('pathway_stream_group_lag_seconds')).toBeUndefined();

    const identity = base(inject('subgraphUrls').identity!);
    // The gateway names its fetch after the client's operation: <operation>__<subgraph>__<n>.
    const labels = { operation: 'OpsMetricsMe__identity__0', outcome: 'ok' };
    const before = (await scrape(identity))('pathway_graphql_requests_total', labels) ?? 0;
    await gql('query OpsMetricsMe { me { id } }', {}, { token });
    const after = (await scrape(identity))('pathway_graphql_requests_total', labels) ?? 0;
    expect(after - before).toBeGreaterThanOrEqual(1);
  });
});
