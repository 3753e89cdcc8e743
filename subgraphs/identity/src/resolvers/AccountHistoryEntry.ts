import type { AccountHistoryEntryResolvers } from '../generated/graphql.ts';

export const AccountHistoryEntry: AccountHistoryEntryResolvers = {
  // An actor outside the reader's reach (a system administrator) is null, as any person out of reach.
  actor: (entry, _, ctx) => (entry.actorId ? ctx.loaders.user.load(entry.actorId) : null),
};
