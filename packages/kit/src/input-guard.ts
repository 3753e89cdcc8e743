import type { ApolloServerPlugin } from '@apollo/server';
import { visit, type DocumentNode } from 'graphql';
import { requestError } from './errors.ts';

const NUL = '\u0000';

/** Whether a value (variables: strings, lists, objects, keys) holds a NUL character; iterative, so deep JSON cannot overflow the stack. */
export function containsNul(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (next.includes(NUL)) return true;
    } else if (next !== null && typeof next === 'object') {
      for (const [key, child] of Object.entries(next)) {
        if (key.includes(NUL)) return true;
        pending.push(child);
      }
    }
  }
  return false;
}

/** Whether a string literal of the document holds a NUL character (written `\u0000` in the query text). */
function documentContainsNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (node.value.includes(NUL)) found = true;
    },
  });
  return found;
}

/**
 * Refuses a request whose text (string literals or variables) holds a NUL character, as a client's
 * mistake (BAD_USER_INPUT), before anything runs: PostgreSQL cannot store it in text, and would
 * otherwise fail the statement with an internal error.
 */
export function refuseNulCharacters<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          if (documentContainsNul(document) || containsNul(request.variables))
            throw requestError('BAD_USER_INPUT', 'Text may not contain the NUL character (\\u0000). Remove it and send the request again.');
        },
      };
    },
  };
}
