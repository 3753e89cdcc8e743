import { toConnection, type PageArgs } from '@pathway/kit';
import type { MarketContext } from '../context.ts';
import { pageTake } from '@pathway/kit';

/** Identity owns User; this subgraph adds what a person lists and holds. */
export const User = {
  __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
  async listings(user: { id: string }, args: PageArgs, ctx: MarketContext) {
    const rows = await ctx.loaders.listingsOf(args).load(user.id);
    return toConnection(rows, { take: pageTake(args) }, 'createdAt');
  },
  async digitalAssets(user: { id: string }, args: PageArgs, ctx: MarketContext) {
    const rows = await ctx.loaders.assetsOf(args).load(user.id);
    return toConnection(rows, { take: pageTake(args) });
  },
};
