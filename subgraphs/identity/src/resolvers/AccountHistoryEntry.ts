import type { IdentityContext } from '../context.ts';
import type { AccountHistory } from '../generated/prisma/client.ts';

export const AccountHistoryEntry = {
  // The actor may be outside the reader's reach (a system administrator): then the User's own rules hide its fields.
  actor: (entry: AccountHistory, _: unknown, ctx: IdentityContext) => (entry.actorId ? ctx.loaders.user.load(entry.actorId) : null),
};
