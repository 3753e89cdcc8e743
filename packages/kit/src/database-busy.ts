// A database with no capacity for the work in time, told apart from real failures: the client gets
// a retryable SERVICE_UNAVAILABLE (errors.ts formatError) instead of an internal error.
import type { GraphQLFormattedError } from 'graphql';

/** What the kit reads of a Prisma, driver adapter or pg error. */
export interface DatabaseErrorShape {
  code?: unknown;
  message?: unknown;
  meta?: {
    /** The unique fields, as Prisma's own engines report them. */
    target?: unknown;
    /** What a driver adapter (adapter-pg) reports instead: the database's error and the constraint's columns. */
    driverAdapterError?: { cause?: { originalCode?: unknown; originalMessage?: unknown; constraint?: { fields?: unknown } } };
  };
}
export const shapeOf = (error: unknown): DatabaseErrorShape => (typeof error === 'object' && error !== null ? error : {});

const TOO_MANY_CONNECTIONS = '53300'; // Postgres: "sorry, too many clients already"
const BUSY_MESSAGES = [
  // Prisma P2028: no pooled connection became free within `maxWait`.
  /Unable to start a transaction in the given time/,
  // Prisma P2028: the transaction outlived its `timeout` (lock waits included) and was rolled back.
  /cannot be executed on an expired transaction/,
  // pg-pool: no connection became free within `connectionTimeoutMillis`.
  /timeout exceeded when trying to connect/,
];

/**
 * True when `error` says the database had no capacity for the work in time: Prisma's transaction
 * start or duration timeout (P2028), the pool's wait for a connection, or Postgres refusing more
 * connections. In each case the work was not done (a timed-out transaction is rolled back), so the
 * same request may simply be sent again.
 */
export function isDatabaseBusy(error: unknown): boolean {
  const { code, message, meta } = shapeOf(error);
  if (code === TOO_MANY_CONNECTIONS || meta?.driverAdapterError?.cause?.originalCode === TOO_MANY_CONNECTIONS) return true;
  if (code !== undefined && code !== 'P2028') return false;
  return typeof message === 'string' && BUSY_MESSAGES.some((pattern) => pattern.test(message));
}

/** What a client is told to wait before retrying work the database was too busy for. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

/** The error a client sees for `isDatabaseBusy` errors: retryable, with the wait in `extensions.retryAfterSeconds`. */
export function databaseBusyError(): Pick<GraphQLFormattedError, 'message' | 'extensions'> {
  return {
    message: 'The service is busy right now and did not do this. Please retry in a moment.',
    extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS },
  };
}
