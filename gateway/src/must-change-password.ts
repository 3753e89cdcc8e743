import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FieldNode } from 'graphql';
import { appError } from '@pathway/kit';
import type { GatewayContext } from './data-source.ts';

/** What a person whose password was reset by an administrator may do before choosing their own. */
const ALLOWED_ROOT_FIELDS = new Set(['changePassword', 'logout', 'refresh', 'me', '__typename']);

/** Until the temporary password is changed, every other operation is refused with FORBIDDEN. */
export function mustChangePasswordPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (!contextValue.mustChangePassword || !operation) return;
          const fields = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD).map((f) => f.name.value);
          const onlyAllowed = fields.length === operation.selectionSet.selections.length && fields.every((f) => ALLOWED_ROOT_FIELDS.has(f));
          if (!onlyAllowed)
            throw appError(
              'FORBIDDEN',
              'Your password was reset by an administrator. Change it with `changePassword` before doing anything else.',
            );
        },
      };
    },
  };
}
