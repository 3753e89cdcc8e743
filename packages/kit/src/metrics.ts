import type { ApolloServerPlugin } from '@apollo/server';
import { sendJson, type NodeHandler } from './http.ts';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from './logger.ts';

// The gateway defines metrics of its own with these (it reaches prom-client through the kit).
export { Counter, Gauge, Histogram };

/**
 * One Prometheus registry per process (`GET /metrics`), with Node's own metrics (CPU, memory, event
 * loop lag, GC) prefixed `pathway_`. What each metric means is in README, Operations: metrics.
 */
export const metrics = new Registry();
collectDefaultMetrics({ register: metrics, prefix: 'pathway_' });

/** Seconds, from a fast local read to a slow cross-subgraph write or a timed-out dependency. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const graphqlRequests = new Counter({
  name: 'pathway_graphql_requests_total',
  help: 'GraphQL operations served, by operation name and outcome (ok: no errors; error: some).',
  labelNames: ['operation', 'outcome'] as const,
  registers: [metrics],
});
export const graphqlErrors = new Counter({
  name: 'pathway_graphql_errors_total',
  help: 'Errors in GraphQL responses, by their stable code (extensions.code).',
  labelNames: ['code'] as const,
  registers: [metrics],
});
export const graphqlDuration = new Histogram({
  name: 'pathway_graphql_request_duration_seconds',
  help: 'Time from receiving a GraphQL operation to its response, by operation name.',
  labelNames: ['operation'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metrics],
});

/**
 * Operation names come from clients: past this many distinct ones a new name is counted as `other`,
 * so a client inventing names cannot grow the metrics without bound.
 */
const MAX_OPERATION_NAMES = 300;
const seenOperations = new Set<string>();

export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  const label = name.slice(0, 100);
  if (seenOperations.has(label)) return label;
  if (seenOperations.size >= MAX_OPERATION_NAMES) return 'other';
  seenOperations.add(label);
  return label;
}

/**
 * Counts and times every operation, and every error in its response by code; at `debug` level logs
 * one line per operation (its name, outcome, error codes and time: never variables, which may hold
 * passwords or personal data).
 */
export function metricsPlugin<C extends object>(log?: Logger): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const stopTimer = graphqlDuration.startTimer();
      return {
        async willSendResponse({ operationName, response }) {
          const operation = operationLabel(operationName);
          const seconds = stopTimer({ operation });
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const outcome = errors.length ? 'error' : 'ok';
          graphqlRequests.inc({ operation, outcome });
          const codes = errors.map((error) => String(error.extensions?.code ?? 'UNKNOWN'));
          for (const code of codes) graphqlErrors.inc({ code });
          log?.debug({ operation, outcome, codes, ms: Math.round(seconds * 1000) }, 'graphql operation');
        },
      };
    },
  };
}

/** A gauge read when Prometheus scrapes (e.g. a queue's depth), so nothing polls in between. */
export function scrapedGauge<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  read: () => Promise<{ labels: Partial<Record<L, string>>; value: number }[]>,
): Gauge<L> {
  // Created once per process; a second start in one process (tests) replaces the first's.
  metrics.removeSingleMetric(name);
  return new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [metrics],
    async collect() {
      this.reset();
      // A dependency that is down must not fail the whole scrape: its gauge is just absent this time.
      const values = await read().catch(() => []);
      for (const { labels, value } of values) this.set(labels, value);
    },
  });
}

/**
 * `GET /metrics` in Prometheus's text format. With `token` set, only a scraper sending it as
 * `Authorization: Bearer <token>` is answered: the gateway's port is public.
 */
export function metricsHandler(token?: string): NodeHandler {
  return async (req, res) => {
    if (token && req.headers.authorization !== `Bearer ${token}`) return sendJson(res, 401, { error: 'metrics need the scrape token' });
    const text = await metrics.metrics();
    res.writeHead(200, { 'content-type': metrics.contentType, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
}
