import type { MarketContext } from '../context.ts';
import type { DigitalAssetRow } from '../data/assets.ts';

export const DigitalAsset = {
  __resolveReference: (ref: { id: string }, ctx: MarketContext) => ctx.loaders.asset.load(ref.id),
  creator: (asset: DigitalAssetRow) => ({ __typename: 'User', id: asset.creatorId }),
  owner: (asset: DigitalAssetRow) => ({ __typename: 'User', id: asset.ownerId }),
  metadata: ({ metadata }: DigitalAssetRow) =>
    metadata
      ? {
          imageUrl: metadata.imageUrl ?? null,
          animationUrl: metadata.animationUrl ?? null,
          externalUrl: metadata.externalUrl ?? null,
          attributes: metadata.attributes ?? [],
        }
      : null,
  blockchainData: ({ blockchainData }: DigitalAssetRow) => blockchainData ?? null,
};
