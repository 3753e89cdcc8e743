import type { IncomingMessage } from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLResponse } from '@apollo/server';
import type { NodeHandler } from './http.ts';

/**
 * Apollo Server's HTTP side on Node's own request and response: the parsed body and the headers
 * go in, its status, headers and body (whole, or chunk by chunk when incremental) come out.
 */
export function answerGraphQL<C extends object>(apollo: ApolloServer<C>, context: (req: IncomingMessage) => Promise<C>): NodeHandler {
  return async (req, res) => {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers))
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const response: HTTPGraphQLResponse = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: req.method!.toUpperCase(),
        headers,
        search: query < 0 ? '' : url.slice(query),
        body: (req as { body?: unknown }).body,
      },
      context: () => context(req),
    });
    res.statusCode = response.status ?? 200;
    for (const [name, value] of response.headers) res.setHeader(name, value);
    if (response.body.kind === 'complete') {
      res.setHeader('content-length', Buffer.byteLength(response.body.string));
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
