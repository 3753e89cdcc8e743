// A default @apollo/gateway (Apollo Server, its standalone HTTP server, no plugins) serving the
// same supergraph, for the `mix` benchmark's side-by-side run; the only addition is passing the
// internal identity header through from the client (the benchmark signs it). Not for production.
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { IDENTITY_HEADER } from '@pathway/kit';

interface Context {
  identity: string;
}

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH!, 'utf8'),
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource<Context>({
      url,
      willSendRequest: ({ request, context }) => void request.http?.headers.set(IDENTITY_HEADER, context.identity),
    }),
});
const server = new ApolloServer<Context>({ gateway });
await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT), host: '127.0.0.1' },
  context: async ({ req }) => ({ identity: String(req.headers[IDENTITY_HEADER] ?? '') }),
});
console.log('ready');
