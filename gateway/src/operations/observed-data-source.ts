import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Histogram, inSpan, metrics, traceHeaders } from '@pathway/kit';
import { SignedIdentityDataSource, type GatewayContext } from '../data-source.ts';

const subgraphFetches = new Histogram({
  name: 'pathway_gateway_subgraph_fetch_duration_seconds',
  help: 'Time of each fetch the gateway makes to a subgraph, by subgraph and outcome (ok, error: GraphQL errors, failed: no answer).',
  labelNames: ['subgraph', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metrics],
});

/** The gateway's subgraph data source, timed (`/metrics`) and traced (a client span carrying `traceparent`). */
export class ObservedDataSource extends SignedIdentityDataSource {
  constructor(
    url: string,
    internalSecret: string,
    private readonly subgraph: string,
  ) {
    super(url, internalSecret, subgraph);
  }

  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<SignedIdentityDataSource['process']> {
    const stop = subgraphFetches.startTimer({ subgraph: this.subgraph });
    return inSpan(`fetch ${this.subgraph}`, { 'pathway.subgraph': this.subgraph }, async () => {
      try {
        const response = await super.process(options);
        stop({ outcome: response.errors?.length ? 'error' : 'ok' });
        return response;
      } catch (error) {
        stop({ outcome: 'failed' });
        throw error;
      }
    });
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    await super.willSendRequest(options);
    const headers = options.request.http?.headers;
    if (headers) traceHeaders(headers);
  }
}
