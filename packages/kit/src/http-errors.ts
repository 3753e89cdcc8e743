import express, { type ErrorRequestHandler } from 'express';
import type { Logger } from './logger.ts';

/** The largest request body the gateway and the subgraphs read. */
const BODY_LIMIT = '1mb';

/** The JSON body parser of every GraphQL endpoint, with the one body limit that `bodyErrorHandler` reports. */
export const readJsonBody = () => express.json({ limit: BODY_LIMIT });

/** A GraphQL-shaped error body for answers outside GraphQL execution (HTTP routes, body errors). */
export const errorBody = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

/**
 * Express's answer to a request body it could not read, as a GraphQL error in JSON instead of its
 * default HTML page (which carries a stack trace): too large (413), not JSON (400); anything else is
 * logged and masked.
 */
export function bodyErrorHandler(log: Logger): ErrorRequestHandler {
  return (error: { type?: string; status?: number }, _req, res, next) => {
    if (res.headersSent) return next(error);
    if (error.type === 'entity.too.large')
      return void res
        .status(413)
        .json(errorBody(`The request body is larger than the ${BODY_LIMIT} limit. Send a smaller request.`, 'BAD_REQUEST'));
    if (error.type === 'entity.parse.failed' || error.type === 'encoding.unsupported' || error.type === 'charset.unsupported')
      return void res.status(400).json(errorBody('The request body is not valid JSON.', 'BAD_REQUEST'));
    log.error({ err: error }, 'unreadable request');
    return void res
      .status(error.status && error.status < 500 ? error.status : 500)
      .json(errorBody('The request could not be read.', 'BAD_REQUEST'));
  };
}
