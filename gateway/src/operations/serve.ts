import type { ApolloServerPlugin } from '@apollo/server';
import type { Express } from 'express';
import { metricsHandler, metricsPlugin, serveHealth, tracingPlugin, type Logger, type Redis } from '@pathway/kit';
import type { GatewayContext } from '../data-source.ts';
import type { EventHub } from '../subscriptions/event-hub.ts';
import { cacheMetricsPlugin, gatewayGauges } from './gateway-metrics.ts';
import { gatewayReadiness } from './readiness.ts';
import type { SupergraphSource } from './supergraph-source.ts';

/** The Apollo plugins that count, time and trace every operation. */
export function observabilityPlugins(responseCacheOn: boolean, log: Logger): ApolloServerPlugin<GatewayContext>[] {
  return [metricsPlugin(log), tracingPlugin(), cacheMetricsPlugin(responseCacheOn)];
}

/** `/healthz`, `/readyz` (supergraph, Redis, every subgraph ready) and `/metrics` of the gateway. */
export function serveOperations(
  app: Express,
  opts: {
    config: { METRICS_TOKEN?: string; SHUTDOWN_DRAIN_MS: number };
    log: Logger;
    redis: Redis;
    supergraph: SupergraphSource;
    overrides: Record<string, string | undefined>;
    hub: EventHub;
    subscriptions: { stats(): { connections: number; subscriptions: number } };
  },
): { drain(): Promise<void> } {
  const health = serveHealth(
    app,
    'gateway',
    gatewayReadiness({ supergraph: opts.supergraph.current, redis: opts.redis, overrides: opts.overrides }),
    opts.log,
  );
  gatewayGauges({ redis: opts.redis, streamPosition: () => opts.hub.position, subscriptions: () => opts.subscriptions.stats() });
  app.get('/metrics', metricsHandler(opts.config.METRICS_TOKEN));
  return {
    drain: async () => {
      health.drain();
      await new Promise((resolve) => setTimeout(resolve, opts.config.SHUTDOWN_DRAIN_MS));
    },
  };
}
