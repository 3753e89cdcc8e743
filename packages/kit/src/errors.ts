import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { databaseBusyError, isDatabaseBusy } from './database-busy.ts';
import type { Logger } from './logger.ts';

/** The stable codes clients can switch on. Kept small on purpose. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  /** A subscription resume cursor older than the retained events. */
  CURSOR_EXPIRED: 'CURSOR_EXPIRED',
  /** Trusted-documents mode: the document is not one of the registered app operations. */
  PERSISTED_QUERY_NOT_IN_LIST: 'PERSISTED_QUERY_NOT_IN_LIST',
  /** Overloaded for a moment (e.g. no database connection free in time): nothing was changed; retry after `extensions.retryAfterSeconds`. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** Too many requests (or failed sign-ins) from this person or address: retry after `extensions.retryAfterSeconds`. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The gateway could not get an answer from one subgraph (`extensions.serviceName`); the rest of the answer stands. */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const httpStatus: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  CURSOR_EXPIRED: 410,
  PERSISTED_QUERY_NOT_IN_LIST: 400,
  SERVICE_UNAVAILABLE: 503,
  RATE_LIMITED: 429,
  SUBGRAPH_UNAVAILABLE: 502,
  INTERNAL_SERVER_ERROR: 500,
};

/**
 * Why a CONFLICT (`extensions.reason`): the current state of the data, not the form of the input,
 * refused the change. The general reasons come first; the rest name one domain rule each.
 */
export const ConflictReason = {
  /** The thing is already as asked (same status, role already held, …): nothing to do. */
  ALREADY_IN_STATE: 'ALREADY_IN_STATE',
  /** A value that must be unique is taken (`extensions.fields` names the unique fields). */
  DUPLICATE: 'DUPLICATE',
  /** The current status cannot change into the one asked for (`extensions.from`, `to`, `allowed`). */
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  /** campus: some of the people are (or were) enrolled in the class (`extensions.userIds`). */
  ALREADY_ENROLLED: 'ALREADY_ENROLLED',
  /** campus: not enough seats left (`extensions.capacity`, `seatsLeft`). */
  CLASS_FULL: 'CLASS_FULL',
  /** campus: the class is not open for enrollment (cancelled, completed, …). */
  CLASS_CLOSED: 'CLASS_CLOSED',
  /** campus: something active depends on it (`extensions.dependents`: what, and how many). */
  IN_USE: 'IN_USE',
  /** campus: it is archived and takes nothing new. */
  ARCHIVED: 'ARCHIVED',
  /** campus: the room is booked at that time (`extensions.clashes`: the other events and when). */
  ROOM_BOOKED: 'ROOM_BOOKED',
  /** campus: an instructor of the class teaches another class at that time (`extensions.clashes`). */
  INSTRUCTOR_BUSY: 'INSTRUCTOR_BUSY',
  /** identity: the change would leave no active system administrator. */
  LAST_SYSTEM_ADMIN: 'LAST_SYSTEM_ADMIN',
  /** identity: the facility belongs to another tenant. */
  OTHER_TENANT: 'OTHER_TENANT',
  /** identity: the webhook endpoint is disabled. */
  ENDPOINT_DISABLED: 'ENDPOINT_DISABLED',
  /** identity: the webhook delivery is still being attempted. */
  DELIVERY_PENDING: 'DELIVERY_PENDING',
  /** behavior: the request or intervention is closed (resolved, cancelled, completed, discontinued) and takes no more changes (`extensions.status`). */
  RECORD_CLOSED: 'RECORD_CLOSED',
  /** market: the listing is archived and can no longer change. */
  LISTING_ARCHIVED: 'LISTING_ARCHIVED',
  /** market: the listing has an active reservation for part of that period. */
  RESERVATION_OVERLAP: 'RESERVATION_OVERLAP',
  /** market: this idempotency key was used before with a different input. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** market: the listing takes no reservations now (unlisted, archived, sold). */
  LISTING_UNAVAILABLE: 'LISTING_UNAVAILABLE',
  /** learning: the provider platform already has a sync pending or running (`extensions.taskId`). */
  SYNC_IN_PROGRESS: 'SYNC_IN_PROGRESS',
  /** learning: the provider platform is disabled or archived; enable it first. */
  PLATFORM_NOT_ENABLED: 'PLATFORM_NOT_ENABLED',
} as const;
export type ConflictReason = (typeof ConflictReason)[keyof typeof ConflictReason];

export function appError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

/**
 * An error that rejects the whole request (thrown before execution, e.g. by the context function)
 * and so also sets the HTTP status. Field errors must not: a non-2xx subgraph response makes the
 * gateway drop the partial data that the other fields legitimately returned.
 */
export function requestError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code, http: { status: httpStatus[code] } } });
}

export const unauthenticated = (message = 'You must be signed in to do this.') => appError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You do not have permission to see or do this.') => appError('FORBIDDEN', message);
export const notFound = (what: string) => appError('NOT_FOUND', `${what} was not found.`);
export const conflict = (message: string, extensions: { reason: ConflictReason } & Record<string, unknown>) =>
  appError('CONFLICT', message, extensions);
export const badInput = (message: string, fieldErrors?: Record<string, string>) =>
  appError('BAD_USER_INPUT', message, fieldErrors ? { fieldErrors } : {});

const known = new Set<string>(Object.values(ErrorCode));

const GENERIC_MESSAGE = 'Something went wrong on our side. It has been logged; please try again.';
/** Codes graphql-js and Apollo use for a client's mistake in the request itself. */
const isRequestCode = (code: string) => code.startsWith('GRAPHQL_') || code === 'PERSISTED_QUERY_NOT_FOUND' || code === 'BAD_REQUEST';

/**
 * Apollo's formatError hook: our own errors pass as they are (without `http`, which is transport
 * detail), graphql-js validation errors keep their codes, a database too busy for the work becomes a
 * retryable SERVICE_UNAVAILABLE (`database-busy.ts`), anything unexpected becomes a generic
 * INTERNAL_SERVER_ERROR with an `errorId` that is also in the log line, so no message, stack trace,
 * SQL or internal URL leaks through the gateway. INTERNAL_SERVER_ERROR itself never passes: Apollo
 * gives that label to every error thrown without a code (a Prisma error, a bug), and the gateway to
 * a subgraph's failed fetch. An error a subgraph already masked keeps its id through the gateway.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  log?: (e: unknown, errorId: string) => void,
): GraphQLFormattedError {
  // A scalar that rejects an inline literal raises our BAD_USER_INPUT during validation, and Apollo
  // relabels it GRAPHQL_VALIDATION_FAILED; the code we chose is the one clients should see.
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  const originalCode = original instanceof GraphQLError ? original.extensions?.code : undefined;
  if (typeof originalCode === 'string' && known.has(originalCode))
    formatted = { ...formatted, extensions: { ...formatted.extensions, code: originalCode } };
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR && (known.has(code) || isRequestCode(code))) {
    const { http: _http, stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  const maskedBefore = formatted.message === GENERIC_MESSAGE && typeof formatted.extensions?.errorId === 'string';
  const errorId = maskedBefore ? (formatted.extensions!.errorId as string) : randomUUID();
  log?.(error, errorId);
  if (isDatabaseBusy(original ?? error)) return { ...databaseBusyError(), path: formatted.path, locations: formatted.locations };
  return {
    message: GENERIC_MESSAGE,
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, errorId },
  };
}

/** Apollo's `formatError` option for a server whose unexpected errors are logged to `log` under their `errorId`. */
export const errorFormatter =
  (log: Logger) =>
  (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError =>
    formatError(formatted, error, (e, errorId) => log.error({ err: e, errorId }, 'unexpected error'));
