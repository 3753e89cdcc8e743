import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';

/** The longest `extensions.retryAfterSeconds` among the SERVICE_UNAVAILABLE and RATE_LIMITED errors, if any. */
const RETRYABLE = new Set(['SERVICE_UNAVAILABLE', 'RATE_LIMITED']);

export function retryAfterSeconds(errors: readonly GraphQLFormattedError[] | undefined): number | null {
  let longest: number | null = null;
  for (const error of errors ?? []) {
    const seconds = error.extensions?.retryAfterSeconds;
    if (RETRYABLE.has(String(error.extensions?.code)) && typeof seconds === 'number') longest = Math.max(longest ?? 0, seconds);
  }
  return longest;
}

/**
 * Sets the HTTP `Retry-After` header when an answer carries a SERVICE_UNAVAILABLE error, so HTTP
 * clients and proxies that know the header back off without reading the GraphQL body. The status
 * stays as it is: the other fields of the answer may hold good data.
 */
export function retryAfterPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
          const seconds = retryAfterSeconds(errors);
          if (seconds !== null) response.http.headers.set('retry-after', String(seconds));
        },
      };
    },
  };
}
