import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { isDatabaseBusy } from '../src/database-busy.ts';
import { formatError } from '../src/errors.ts';
import { exclusionViolation, rethrowDuplicate, uniqueViolation } from '../src/prisma-errors.ts';
import { retryAfterSeconds } from '../src/retry-after.ts';

// The errors below have the shapes Prisma 6.19.3 with adapter-pg throws (recorded against Postgres 15); Prisma 7.10's are the same.
const prismaError = (code: string, message: string, meta: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name: 'PrismaClientKnownRequestError', code, meta, clientVersion: '6.19.3' });
/** A clash on `tenants.slug`; Postgres names the key's columns only when the caller could read the row. */
const slugClash = (columns?: string[]) =>
  prismaError('P2002', '\nInvalid `prisma.tenant.create()` invocation: Unique constraint failed', {
    modelName: 'Tenant',
    driverAdapterError: {
      name: 'DriverAdapterError',
      cause: {
        originalCode: '23505',
        originalMessage: 'duplicate key value violates unique constraint "tenants_slug_key"',
        kind: 'UniqueConstraintViolation',
        ...(columns ? { constraint: { fields: columns } } : {}),
      },
    },
  });
const UNIQUE = slugClash(['slug']);
// The same clash as the application role: under Row-Level Security Postgres does not say the key's columns.
const UNIQUE_UNDER_RLS = slugClash();
const START_TIMEOUT = prismaError('P2028', 'Transaction API error: Unable to start a transaction in the given time.');
const EXPIRED = prismaError(
  'P2028',
  'Transaction API error: A commit cannot be executed on an expired transaction. The timeout for this transaction was 500 ms, however 707 ms passed since the start of the transaction.',
  { operation: 'commit', timeout: 500, timeTaken: 707 },
);
const POOL_TIMEOUT = new Error('timeout exceeded when trying to connect'); // pg-pool's connectionTimeoutMillis
const TOO_MANY_CLIENTS = Object.assign(new Error('sorry, too many clients already'), { code: '53300' });

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** What a client receives for `thrown` raised by a resolver, as Apollo hands it to formatError (code INTERNAL_SERVER_ERROR added). */
function asClientSees(thrown: Error): GraphQLFormattedError {
  const error = new GraphQLError(thrown.message, { originalError: thrown, path: ['enrollResidents'] });
  const formatted = error.toJSON();
  return formatError({ ...formatted, extensions: { ...formatted.extensions, code: 'INTERNAL_SERVER_ERROR' } }, error);
}

describe('unique-constraint clashes (P2002)', () => {
  it('names the unique fields and the constraint, as far as the database told them', () => {
    expect(uniqueViolation(UNIQUE)).toEqual({ fields: ['slug'], constraint: 'tenants_slug_key' });
    expect(uniqueViolation(UNIQUE_UNDER_RLS)).toEqual({ fields: [], constraint: 'tenants_slug_key' });
    expect(uniqueViolation(prismaError('P2002', 'x', { target: ['tenant_id', 'email'] }))).toEqual({
      fields: ['tenant_id', 'email'],
      constraint: null,
    });
    expect(uniqueViolation(START_TIMEOUT)).toBeNull();
    expect(uniqueViolation('P2002')).toBeNull();
  });

  it('rethrowDuplicate turns a clash into CONFLICT / DUPLICATE and passes anything else on', () => {
    const rethrow = rethrowDuplicate('A tenant with that slug exists already.', { slug: 'already taken' });
    const thrown = caught(() => rethrow(UNIQUE));
    expect(thrown).toBeInstanceOf(GraphQLError);
    expect((thrown as GraphQLError).message).toBe('A tenant with that slug exists already.');
    expect((thrown as GraphQLError).extensions).toEqual({
      code: 'CONFLICT',
      reason: 'DUPLICATE',
      fields: ['slug'],
      constraint: 'tenants_slug_key',
      fieldErrors: { slug: 'already taken' },
    });
    // Under RLS the fields come from the caller's fieldErrors.
    expect((caught(() => rethrow(UNIQUE_UNDER_RLS)) as GraphQLError).extensions).toMatchObject({ fields: ['slug'] });
    expect(() => rethrow(START_TIMEOUT)).toThrow(START_TIMEOUT);
    expect((caught(() => rethrowDuplicate('Taken.')(UNIQUE_UNDER_RLS)) as GraphQLError).extensions).toEqual({
      code: 'CONFLICT',
      reason: 'DUPLICATE',
      fields: [],
      constraint: 'tenants_slug_key',
    });
  });
});

describe('exclusion-constraint violations (SQLSTATE 23P01)', () => {
  // The shape Prisma 7.10 with adapter-pg throws for an overlapping range (recorded against Postgres 15).
  const OVERLAP = prismaError('P2010', 'Raw query failed', {
    driverAdapterError: {
      name: 'DriverAdapterError',
      cause: {
        originalCode: '23P01',
        originalMessage: 'conflicting key value violates exclusion constraint "reservations_no_overlap"',
        kind: 'postgres',
        detail: 'Key (period)=(…) conflicts with existing key (period)=(…).',
      },
    },
  });

  it('names the constraint, and is null for anything else (a unique clash included)', () => {
    expect(exclusionViolation(OVERLAP)).toBe('reservations_no_overlap');
    for (const error of [UNIQUE, START_TIMEOUT, new Error('conflicting key value violates exclusion constraint'), null])
      expect(exclusionViolation(error)).toBeNull();
  });
});

describe('a database too busy for the work (P2028, pool exhaustion)', () => {
  it('recognises the transaction start and duration timeouts, the pool wait and refused connections', () => {
    for (const error of [START_TIMEOUT, EXPIRED, POOL_TIMEOUT, TOO_MANY_CLIENTS]) expect(isDatabaseBusy(error)).toBe(true);
    for (const error of [UNIQUE, prismaError('P2028', 'Transaction API error: Transaction not found.'), new Error('boom'), null, 'P2028'])
      expect(isDatabaseBusy(error)).toBe(false);
  });

  it('reaches the client as a retryable SERVICE_UNAVAILABLE with retryAfterSeconds, never an internal error', () => {
    for (const error of [START_TIMEOUT, EXPIRED, POOL_TIMEOUT, TOO_MANY_CLIENTS]) {
      const formatted = asClientSees(error);
      expect(formatted.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 });
      expect(formatted.path).toEqual(['enrollResidents']);
      expect(formatted.message).not.toMatch(/Prisma|transaction|timeout/i);
    }
    const unexpected = asClientSees(new Error('boom: SELECT secret FROM users'));
    expect(unexpected.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', errorId: expect.any(String) });
    expect(unexpected.message).not.toMatch(/boom|SELECT/);
  });

  it('passes through the gateway unchanged, and the longest wait is the Retry-After', () => {
    const fromSubgraph = asClientSees(START_TIMEOUT);
    const atGateway = formatError(fromSubgraph, new GraphQLError(fromSubgraph.message, { extensions: fromSubgraph.extensions }));
    expect(atGateway.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 });
    expect(retryAfterSeconds([atGateway, { message: 'x', extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 3 } }])).toBe(3);
    expect(retryAfterSeconds([{ message: 'x', extensions: { code: 'CONFLICT' } }])).toBeNull();
    expect(retryAfterSeconds(undefined)).toBeNull();
  });
});
