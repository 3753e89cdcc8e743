// Hive Gateway (@graphql-hive/gateway) serving the same supergraph as Pathway's gateway, for the
// `mix` benchmark's side-by-side run: request deduplication off both ways (the benchmark's clients
// send identical requests, which deduplication would merge), the internal identity header passed
// through from the client (the benchmark signs it, as Pathway's gateway would). Not for production.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { IDENTITY_HEADER } from '@pathway/kit';

const gateway = createGatewayRuntime({
  supergraph: readFileSync(process.env.SUPERGRAPH_PATH!, 'utf8'),
  inboundInflightRequestDeduplication: false,
  transportEntries: { '*': { options: { deduplicateInflightRequests: false } } },
  propagateHeaders: { fromClientToSubgraphs: ({ request }) => ({ [IDENTITY_HEADER]: request.headers.get(IDENTITY_HEADER) ?? '' }) },
  logging: 'error',
  graphiql: false,
});
createServer(gateway).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
