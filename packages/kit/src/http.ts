import type { IncomingMessage, ServerResponse } from 'node:http';
import bodyParser from 'body-parser';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from './logger.ts';

/** The largest request body the gateway and the subgraphs read. */
const BODY_LIMIT = '1mb';

/** A handler in Node's own terms: Express mounts it as it is, and the subgraphs' plain server calls it. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => unknown;
/** A middleware in Node's own terms (connect's shape): it calls `next`, with an error if it failed. */
export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** The JSON body parser of every GraphQL endpoint, with the one body limit that `answerUnreadableBody` reports. */
export const readJsonBody = (): NodeMiddleware => bodyParser.json({ limit: BODY_LIMIT }) as NodeMiddleware;

/** A GraphQL-shaped error body for answers outside GraphQL execution (HTTP routes, body errors). */
export const errorBody = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

/** Answers `body` as JSON with `status`. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The answer to a request body that could not be read, as a GraphQL error in JSON instead of a
 * default HTML page (which carries a stack trace): too large (413), not JSON (400); anything else is
 * logged and masked.
 */
export function answerUnreadableBody(error: { type?: string; status?: number }, res: ServerResponse, log: Logger): void {
  if (error.type === 'entity.too.large')
    return sendJson(res, 413, errorBody(`The request body is larger than the ${BODY_LIMIT} limit. Send a smaller request.`, 'BAD_REQUEST'));
  if (error.type === 'entity.parse.failed' || error.type === 'encoding.unsupported' || error.type === 'charset.unsupported')
    return sendJson(res, 400, errorBody('The request body is not valid JSON.', 'BAD_REQUEST'));
  log.error({ err: error }, 'unreadable request');
  sendJson(res, error.status && error.status < 500 ? error.status : 500, errorBody('The request could not be read.', 'BAD_REQUEST'));
}

/** `answerUnreadableBody` as Express's last error handler (the gateway's). */
export function bodyErrorHandler(log: Logger): ErrorRequestHandler {
  return (error: { type?: string; status?: number }, _req, res, next) => {
    if (res.headersSent) return next(error);
    answerUnreadableBody(error, res, log);
  };
}

/** The path of a request's URL, without its query string. */
export function pathOf(url: string | undefined): string {
  const path = url ?? '/';
  const query = path.indexOf('?');
  return query < 0 ? path : path.slice(0, query);
}

/**
 * HTTP routes on Node's own server: all of a subgraph's, and the gateway's `POST /graphql` (Express's
 * router and response helpers cost more CPU per request than these routes need). Exact paths per
 * method, and path prefixes. An unknown path is 404 and a known path asked with another method 405,
 * both in JSON; a handler that throws is logged and answered 500, masked.
 */
export class Routes {
  private readonly exact = new Map<string, NodeHandler>();
  private readonly prefixed: [method: string, prefix: string, handler: NodeHandler][] = [];
  /** `fallback` answers what no route takes (the gateway's Express app); without one that is 404 or 405. */
  constructor(
    private readonly log: Logger,
    private readonly fallback?: (req: IncomingMessage, res: ServerResponse) => void,
  ) {}

  get(path: string, handler: NodeHandler): this {
    this.exact.set(`GET ${path}`, handler);
    return this;
  }
  post(path: string, handler: NodeHandler): this {
    this.exact.set(`POST ${path}`, handler);
    return this;
  }
  /** Every path under `prefix` (which ends in `/`), for `method`. */
  postUnder(prefix: string, handler: NodeHandler): this {
    this.prefixed.push(['POST', prefix, handler]);
    return this;
  }

  /** Node's request listener. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    const path = pathOf(req.url);
    const handler = this.exact.get(`${req.method} ${path}`) ?? this.prefixed.find(([m, p]) => m === req.method && path.startsWith(p))?.[2];
    if (!handler && this.fallback) return this.fallback(req, res);
    if (!handler) {
      const known = [...this.exact.keys()].some((key) => key.endsWith(` ${path}`));
      if (known) return sendJson(res, 405, errorBody(`${req.method} is not served at ${path}.`, 'METHOD_NOT_ALLOWED'));
      return sendJson(res, 404, errorBody(`Nothing is served at ${path}.`, 'NOT_FOUND'));
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        this.log.error({ err: error, path }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, errorBody('The request failed. Try again later.', 'INTERNAL_SERVER_ERROR'));
        else res.destroy();
      });
  };
}

/**
 * Runs connect-style `middleware` in order, then `handler`; a middleware's error is answered as an
 * unreadable body (`answerUnreadableBody`) and the rest is skipped.
 */
export function withMiddleware(middleware: NodeMiddleware[], handler: NodeHandler, log: Logger): NodeHandler {
  return (req, res) =>
    new Promise<void>((resolve, reject) => {
      const step = (i: number) => (error?: unknown) => {
        if (error) return resolve(answerUnreadableBody(error as { type?: string; status?: number }, res, log));
        if (i === middleware.length) return void Promise.resolve(handler(req, res)).then(() => resolve(), reject);
        try {
          middleware[i]!(req, res, step(i + 1));
        } catch (thrown) {
          reject(thrown);
        }
      };
      step(0)();
    });
}
