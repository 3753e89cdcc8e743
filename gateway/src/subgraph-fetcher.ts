import http from 'node:http';
import https from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type FetcherHeaders = FetcherResponse['headers'];

/**
 * Idle connections are closed after this long: under the subgraphs' keep-alive timeout (Node's
 * 5 s), so the gateway never sends a request on a socket the subgraph is about to close.
 */
const IDLE_SOCKET_MS = 4_000;

/**
 * The fetch the gateway sends subgraph requests with: node:http on keep-alive agents, the answer
 * read whole into one buffer. Node's global fetch (undici) wraps each request and answer in WHATWG
 * streams, which cost the gateway more CPU per subgraph request than anything it does with the
 * answer; the subgraphs' answers are small JSON documents that are parsed whole anyway.
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' }),
  'https:': new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' }),
};

export const subgraphFetch: Fetcher = (url: string, init: FetcherRequestInit = {}) =>
  new Promise<FetcherResponse>((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const body = init.body ?? '';
    const request = client.request(
      target,
      {
        method: init.method ?? 'GET',
        headers: { ...init.headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: agents[target.protocol as keyof typeof agents],
        signal: init.signal as AbortSignal | undefined,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => resolve(new BufferedResponse(url, response, Buffer.concat(chunks))));
      },
    );
    request.on('error', reject);
    request.end(body);
  });

/** A subgraph's answer, read whole: what Apollo's data source asks of a fetch Response. */
class BufferedResponse implements FetcherResponse {
  readonly redirected = false;
  readonly status: number;
  readonly statusText: string;
  readonly headers: FetcherHeaders;
  bodyUsed = false;

  constructor(
    readonly url: string,
    response: http.IncomingMessage,
    private readonly body: Buffer,
  ) {
    this.status = response.statusCode ?? 0;
    this.statusText = response.statusMessage ?? '';
    this.headers = new ReceivedHeaders(response.headers);
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.body.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    return this.body.buffer.slice(this.body.byteOffset, this.body.byteOffset + this.body.byteLength) as ArrayBuffer;
  }

  clone(): FetcherResponse {
    return this;
  }
}

/** The answer's headers (names lower-cased by node:http), read-only in practice. */
class ReceivedHeaders implements FetcherHeaders {
  private readonly map = new Map<string, string>();

  constructor(headers: http.IncomingHttpHeaders) {
    for (const [name, value] of Object.entries(headers))
      if (value !== undefined) this.map.set(name, Array.isArray(value) ? value.join(', ') : value);
  }

  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  set(name: string, value: string): void {
    this.map.set(name.toLowerCase(), value);
  }
  append(name: string, value: string): void {
    const current = this.get(name);
    this.set(name, current === null ? value : `${current}, ${value}`);
  }
  delete(name: string): void {
    this.map.delete(name.toLowerCase());
  }
  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
  values(): IterableIterator<string> {
    return this.map.values();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries();
  }
}
