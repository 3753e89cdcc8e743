import type { MarketContext } from '../context.ts';
import type { PlacedAssetResolvers, SpaceAccessControlResolvers, VirtualSpaceResolvers } from '../generated/graphql.ts';
import { mayEditSpace } from '../access.ts';

export const VirtualSpace: VirtualSpaceResolvers = {
  __resolveReference: (ref, ctx: MarketContext) => ctx.loaders.space.load(ref.id),
  owner: (space) => ({ id: space.ownerId }),
  assets: (space) => space.assets,
  accessControl: (space) => space.accessControl,
  tags: (space, _, ctx) => ctx.loaders.tagsOf.space.load(space.id),
  canEdit: (space, _, ctx) => mayEditSpace(ctx.identity, space),
};

export const PlacedAsset: PlacedAssetResolvers = {
  // The asset through its own access: one that changed hands to someone private reads as null.
  asset: (placed, _, ctx) => ctx.loaders.asset.load(placed.assetId),
  placedBy: (placed) => ({ id: placed.placedBy }),
};

export const SpaceAccessControl: SpaceAccessControlResolvers = {
  allowedUsers: (acl) => acl.allowedUsers.map((id) => ({ id })),
  editors: (acl) => acl.editors.map((id) => ({ id })),
};
