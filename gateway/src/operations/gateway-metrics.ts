import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, lastStreamId, metrics, scrapedGauge, streamIdMs, type Redis } from '@pathway/kit';
import type { GatewayContext } from '../data-source.ts';
import { mayBeCached } from '../response-cache.ts';

const cacheLookups = new Counter({
  name: 'pathway_gateway_cache_lookups_total',
  help: 'Cache lookups by cache (response: answers cached by scope; apq: persisted query documents) and result; hit rate = hit / (hit + miss).',
  labelNames: ['cache', 'result'] as const,
  registers: [metrics],
});

/** Counts response-cache and persisted-query hits and misses (Apollo marks them on the request's metrics). */
export function cacheMetricsPlugin(responseCacheOn: boolean): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ metrics: seen, contextValue, request, operation }) {
          // Only what the response cache considers at all: signed-in callers' operations that may be cached.
          if (responseCacheOn && contextValue.identity && mayBeCached(operation))
            cacheLookups.inc({ cache: 'response', result: seen.responseCacheHit ? 'hit' : 'miss' });
          if (request.extensions?.persistedQuery) cacheLookups.inc({ cache: 'apq', result: seen.persistedQueryHit ? 'hit' : 'miss' });
        },
      };
    },
  };
}

/** The gateway's gauges: open sockets and subscriptions, and how far its event-stream reader is behind. */
export function gatewayGauges(opts: {
  redis: Redis;
  streamPosition: () => string;
  subscriptions: () => { connections: number; subscriptions: number };
}): void {
  scrapedGauge('pathway_gateway_websocket_connections', 'Open subscription (graphql-ws) connections on this gateway.', [], async () => [
    { labels: {}, value: opts.subscriptions().connections },
  ]);
  scrapedGauge('pathway_gateway_active_subscriptions', 'Subscriptions being served on this gateway.', [], async () => [
    { labels: {}, value: opts.subscriptions().subscriptions },
  ]);
  scrapedGauge(
    'pathway_event_stream_lag_seconds',
    "How far this gateway's reader is behind the newest event on the Redis stream (0: caught up).",
    [],
    async () => {
      const newest = await lastStreamId(opts.redis);
      return [{ labels: {}, value: Math.max(0, streamIdMs(newest) - streamIdMs(opts.streamPosition())) / 1000 }];
    },
  );
}
