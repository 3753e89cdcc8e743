import { createServer as createPlainServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';

export interface ReceivedHook {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Arrival time (ms), to check the spacing of retries. */
  at: number;
}

/**
 * A real HTTPS webhook receiver on 127.0.0.1 with the run's test certificate (which identity
 * trusts), or with `plain` a plain-http one (as a developer runs on their machine). Every request
 * is recorded; `answer(path, status)` decides the answer (200 unless set).
 */
export async function startReceiver(opts: { plain?: boolean } = {}) {
  const received: ReceivedHook[] = [];
  const statuses = new Map<string, number>();
  const { cert, key } = inject('webhookTls');
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      res.statusCode = statuses.get(req.url ?? '') ?? 200;
      res.end();
    });
  };
  const server: Server | ReturnType<typeof createPlainServer> = opts.plain
    ? createPlainServer(handle)
    : createServer({ cert, key }, handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `${opts.plain ? 'http' : 'https'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (path: string) => `${base}${path}`,
    received,
    /** The answer for requests to `path` from now on. */
    answer: (path: string, status: number) => void statuses.set(path, status),
    /** Requests to `path` whose envelope is about `entityId`. */
    about: (path: string, entityId: string) =>
      received.filter((r) => r.path === path && (JSON.parse(r.body) as { entityId?: string }).entityId === entityId),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls `check` until it returns something truthy (or fails after `ms`). */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  what: string,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
