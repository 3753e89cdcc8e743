import type { MarketContext } from '../context.ts';
import type { DigitalAssetResolvers } from '../generated/graphql.ts';

export const DigitalAsset: DigitalAssetResolvers = {
  __resolveReference: (ref, ctx: MarketContext) => ctx.loaders.asset.load(ref.id),
  creator: (asset) => ({ id: asset.creatorId }),
  owner: (asset) => ({ id: asset.ownerId }),
  metadata: ({ metadata }) =>
    metadata
      ? {
          imageUrl: metadata.imageUrl ?? null,
          animationUrl: metadata.animationUrl ?? null,
          externalUrl: metadata.externalUrl ?? null,
          attributes: metadata.attributes ?? [],
        }
      : null,
  tags: (asset, _, ctx) => ctx.loaders.tagsOf.asset.load(asset.id),
  blockchainData: ({ blockchainData }) => blockchainData ?? null,
  transactions: (asset, args, ctx) =>
    ctx.loaders.transactionsOfAsset.load({ key: asset.id, page: { first: args.first, after: args.after }, filter: null }),
};
