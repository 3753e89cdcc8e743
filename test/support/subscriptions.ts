import { createClient, type Client } from 'graphql-ws';
import { inject } from 'vitest';
import WebSocket from 'ws';

/** A real graphql-ws client against a gateway (the test stack's unless `url` says otherwise). */
export function wsClient(token: string | null, url = inject('gatewayUrl')): Client {
  return createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

export interface Received<T> {
  results: { data?: T | null; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }[];
  /** Resolves once `count` results have arrived (or rejects after `ms`). */
  waitFor(count: number, ms?: number): Promise<void>;
  stop(): void;
  closed: Promise<{ code?: number; reason?: string } | Error>;
}

/** Subscribes and collects every result in arrival order. */
export function collect<T>(client: Client, query: string, variables: Record<string, unknown> = {}): Received<T> {
  const results: Received<T>['results'] = [];
  const waiters: (() => void)[] = [];
  let settle!: (value: { code?: number; reason?: string } | Error) => void;
  const closed = new Promise<{ code?: number; reason?: string } | Error>((resolve) => (settle = resolve));
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        results.push(value as Received<T>['results'][number]);
        waiters.splice(0).forEach((w) => w());
      },
      // graphql-ws reports a closed socket as its close event, and operation errors as an array.
      error: (error) => {
        const close = error as { code?: number; reason?: string };
        settle(
          error instanceof Error
            ? error
            : typeof close.code === 'number'
              ? { code: close.code, reason: close.reason }
              : new Error(JSON.stringify(error)),
        );
      },
      complete: () => settle({}),
    },
  );
  const waitFor = (count: number, ms = 15_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${count} results; got ${JSON.stringify(results)}`)), ms);
      const check = () => {
        if (results.length >= count) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      check();
    });
  return { results, waitFor, stop, closed };
}
