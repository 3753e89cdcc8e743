import type { MarketContext } from '../context.ts';
import type { TransactionResolvers } from '../generated/graphql.ts';

export const Transaction: TransactionResolvers = {
  __resolveReference: (ref, ctx: MarketContext) => ctx.loaders.transaction.load(ref.id),
  // The item through its own access: a party may no longer see an unlisted listing or a given-away asset.
  property: (t, _, ctx) => (t.propertyId ? ctx.loaders.property.load(t.propertyId) : null),
  asset: (t, _, ctx) => (t.assetId ? ctx.loaders.asset.load(t.assetId) : null),
  seller: (t) => (t.sellerId ? { id: t.sellerId } : null),
  buyer: (t) => ({ id: t.buyerId }),
};
