import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NodeMiddleware } from './http.ts';

/** The header one request's id travels in: client → gateway → subgraphs → the jobs they add. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What every log line and outgoing call of one request knows about it. */
interface RequestScope {
  requestId: string;
}

const scope = new AsyncLocalStorage<RequestScope>();

/**
 * A caller's id is kept only when it looks like an id (letters, digits, `-_.:`, at most 128): an id
 * is copied into every log line, so it must not be a way to write arbitrary text (or a token) there.
 */
const ACCEPTABLE_ID = /^[\w.:-]{1,128}$/;

export function acceptRequestId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && ACCEPTABLE_ID.test(value) ? value : randomUUID();
}

/** The id of the request (or job) this code runs for, if any. */
export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}

/** Runs `fn` (and everything it starts) as part of the request `requestId`. */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return scope.run({ requestId }, fn);
}

/**
 * Middleware (Express's or the subgraphs' plain server's): the request's id (the caller's `x-request-id`, else a new one) for everything
 * that runs for it, and echoed in the response so a client can quote it.
 */
export function requestContext(): NodeMiddleware {
  return (req, res, next) => {
    const requestId = acceptRequestId(req.headers[REQUEST_ID_HEADER]);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    withRequestId(requestId, () => next());
  };
}
