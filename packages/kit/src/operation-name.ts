import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind } from 'graphql';

/**
 * A document whose `operationName` names none of its operations (or that holds several and names
 * none) is the client's mistake: refused as BAD_REQUEST (HTTP 400) saying which operations there
 * are, before anything runs. Without this, graphql-js and the gateway's planner fail it later with
 * an error that carries no code, which reads as INTERNAL_SERVER_ERROR.
 */
export function operationNamePlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (operation) return;
          const names = document.definitions.flatMap((d) =>
            d.kind === Kind.OPERATION_DEFINITION ? [d.name ? `"${d.name.value}"` : 'an unnamed one'] : [],
          );
          const has = names.length ? `the document has ${names.join(', ')}` : 'the document has no operation';
          const message = request.operationName
            ? `There is no operation named "${request.operationName}": ${has}. Send one of those as operationName.`
            : `Say which operation to run: ${has}; send its name as operationName.`;
          throw new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
        },
      };
    },
  };
}
