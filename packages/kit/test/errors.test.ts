import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { describe, expect, it, vi } from 'vitest';
import { appError, badInput, conflict, forbidden, formatError, notFound, requestError, unauthenticated } from '../src/errors.ts';

/** What Apollo hands formatError: the formatted error and the error it came from. */
const formattedOf = (error: GraphQLError): GraphQLFormattedError => error.toJSON();
const GENERIC = 'Something went wrong on our side. It has been logged; please try again.';

describe('error constructors', () => {
  it('carry their stable codes', () => {
    expect(unauthenticated().extensions.code).toBe('UNAUTHENTICATED');
    expect(forbidden().extensions.code).toBe('FORBIDDEN');
    expect(notFound('Resident').message).toBe('Resident was not found.');
    expect(notFound('Resident').extensions.code).toBe('NOT_FOUND');
    expect(conflict('taken', { reason: 'DUPLICATE', fields: ['username'] }).extensions).toEqual({
      reason: 'DUPLICATE',
      fields: ['username'],
      code: 'CONFLICT',
    });
    expect(badInput('bad', { name: 'required' }).extensions).toEqual({ fieldErrors: { name: 'required' }, code: 'BAD_USER_INPUT' });
    expect(badInput('bad').extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it('never let extensions override the code', () => {
    expect(appError('FORBIDDEN', 'no', { code: 'SOMETHING_ELSE' }).extensions.code).toBe('FORBIDDEN');
  });

  it('set an HTTP status only on request errors', () => {
    expect(requestError('UNAUTHENTICATED', 'x').extensions).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
    expect(requestError('CURSOR_EXPIRED', 'x').extensions.http).toEqual({ status: 410 });
    expect(forbidden().extensions.http).toBeUndefined();
  });
});

describe('formatError', () => {
  it('passes our own errors through with their message, code and other extensions', () => {
    const error = conflict('That username is taken.', { reason: 'DUPLICATE', fields: ['username'] });
    expect(formatError(formattedOf(error), error)).toMatchObject({
      message: 'That username is taken.',
      extensions: { code: 'CONFLICT', reason: 'DUPLICATE', fields: ['username'] },
    });
  });

  it('strips http and stacktrace from known errors', () => {
    const error = requestError('UNAUTHENTICATED', 'Sign in.');
    const formatted = { ...formattedOf(error), extensions: { ...error.extensions, stacktrace: ['at secret.ts:1'] } };
    const out = formatError(formatted, error);
    expect(out.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(out.message).toBe('Sign in.');
  });

  it('keeps graphql-js and Apollo request codes', () => {
    for (const code of ['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'PERSISTED_QUERY_NOT_FOUND', 'BAD_REQUEST']) {
      const error = new GraphQLError('Cannot query field "x".', { extensions: { code } });
      expect(formatError(formattedOf(error), error)).toMatchObject({ message: 'Cannot query field "x".', extensions: { code } });
    }
  });

  it('masks an unexpected error as INTERNAL_SERVER_ERROR, keeping path and locations, and logs the original', () => {
    const cause = new Error('relation "users" does not exist at SELECT * FROM users');
    const error = new GraphQLError(cause.message, { path: ['me', 'name'], originalError: cause });
    const formatted: GraphQLFormattedError = {
      ...formattedOf(error),
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'ECONNRESET', stacktrace: ['Error: relation…'] },
    };
    const log = vi.fn();
    const out = formatError(formatted, error, log);
    expect(out).toEqual({
      message: GENERIC,
      path: ['me', 'name'],
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId: expect.any(String) },
    });
    // The id the client sees is the one logged with the original error.
    expect(log).toHaveBeenCalledWith(error, out.extensions?.errorId);
  });

  it('keeps the error id of an error a subgraph already masked (the gateway logs it under the same id)', () => {
    const fromSubgraph: GraphQLFormattedError = { message: GENERIC, extensions: { code: 'INTERNAL_SERVER_ERROR', errorId: 'e-1' } };
    expect(formatError(fromSubgraph, new GraphQLError(GENERIC)).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', errorId: 'e-1' });
  });

  it('masks codes it does not know, and errors with no code at all', () => {
    const odd = new GraphQLError('db down', { extensions: { code: 'ECONNREFUSED', host: '10.0.0.1' } });
    expect(formatError(formattedOf(odd), odd)).toMatchObject({ message: GENERIC, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    const plain = new Error('boom');
    expect(formatError({ message: 'boom' }, plain)).toMatchObject({ message: GENERIC, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('restores our code where Apollo relabelled a scalar’s BAD_USER_INPUT as a validation failure', () => {
    const ours = badInput('Not a valid email address.');
    const wrapped = new GraphQLError(ours.message, { originalError: ours, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(formatError(formattedOf(wrapped), wrapped).extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it('does not log errors it passes through', () => {
    const log = vi.fn();
    const error = forbidden();
    formatError(formattedOf(error), error, log);
    expect(log).not.toHaveBeenCalled();
  });
});

describe('formatError inside Apollo Server', () => {
  async function run(resolve: () => unknown) {
    const server = new ApolloServer({
      typeDefs: 'type Query { field: String }',
      resolvers: { Query: { field: resolve } },
      formatError: (formatted, error) => formatError(formatted, error),
    });
    await server.start();
    try {
      const response = await server.executeOperation({ query: '{ field }' });
      return response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
    } finally {
      await server.stop();
    }
  }

  it('passes a resolver’s own error code through', async () => {
    expect(await run(() => Promise.reject(notFound('Resident')))).toMatchObject([
      { message: 'Resident was not found.', extensions: { code: 'NOT_FOUND' } },
    ]);
  });

  it('masks a plain Error thrown by a resolver (Apollo pre-labels it INTERNAL_SERVER_ERROR), with an error id', async () => {
    const errors = await run(() => {
      throw new Error('relation "users" does not exist');
    });
    expect(errors).toMatchObject([{ message: GENERIC, extensions: { code: 'INTERNAL_SERVER_ERROR', errorId: expect.any(String) } }]);
    expect(JSON.stringify(errors)).not.toContain('relation');
  });
});
