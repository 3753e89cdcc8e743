import type { MarketContext } from '../context.ts';
import type { TagResolvers } from '../generated/graphql.ts';
import { findTagsByIds } from '../data/tags.ts';

export const Tag: TagResolvers = {
  __resolveReference: async (ref, ctx: MarketContext) => {
    const identity = ctx.identity;
    if (!identity) return null;
    const [tag] = await ctx.db.read((tx) => findTagsByIds(tx, identity, [ref.id]));
    return tag ?? null;
  },
};
