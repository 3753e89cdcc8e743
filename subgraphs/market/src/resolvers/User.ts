import { pageTake, toConnection } from '@pathway/kit';
import type { UserResolvers } from '../generated/graphql.ts';

/** Identity owns User; this subgraph adds what a person lists and holds. */
export const User: UserResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  async listings(user, args, ctx) {
    const rows = await ctx.loaders.listingsOf(args).load(user.id);
    return toConnection(rows, { take: pageTake(args) }, 'createdAt');
  },
  transactions: (user, args, ctx) => ctx.loaders.transactionsOfUser.load({ key: user.id, page: { first: args.first, after: args.after } }),
  reservations: (user, args, ctx) =>
    ctx.loaders.reservationsOfUser.load({ key: user.id, page: { first: args.first, after: args.after }, filter: null }),
  async digitalAssets(user, args, ctx) {
    const rows = await ctx.loaders.assetsOf(args).load(user.id);
    return toConnection(rows, { take: pageTake(args) });
  },
};
