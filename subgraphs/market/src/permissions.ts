import { rule } from 'graphql-shield';
import { allow, and, can, isAuthenticated, isSelf, or, unauthenticated, type RuleTree } from '@pathway/kit';
import type { Property } from './generated/prisma/client.ts';
import { assetVisibleTo, isHolderOrCreator, type DigitalAssetRow } from './data/assets.ts';
import { inTenant } from './reach.ts';
import type { MarketContext } from './context.ts';

// Rules on Property/DigitalAsset parents use no_cache (they are cheap and synchronous): the
// 'strict' cache of the kit's isSelf/inReach hashes the parent with object-hash, which throws on the
// Prisma Decimal values a Property row carries.
const ownsProperty = rule('propertyOwner', { cache: 'no_cache' })((property: Property, _a, ctx: MarketContext) =>
  ctx.identity ? property.ownerId === ctx.identity.userId : unauthenticated(),
);
/** Listings are tenant-wide (see reach.ts): any role's reach over them is its tenant. */
const propertyInTenant = rule('propertyInTenant', { cache: 'no_cache' })((property: Property, _a, ctx: MarketContext) =>
  ctx.identity ? inTenant(ctx.identity, property) : unauthenticated(),
);
const propertyField = (key: string) => or(ownsProperty, and(can(key), propertyInTenant));

const holdsOrMadeAsset = rule('assetHolderOrCreator', { cache: 'no_cache' })((asset: DigitalAssetRow, _a, ctx: MarketContext) =>
  ctx.identity ? isHolderOrCreator(ctx.identity, asset) : unauthenticated(),
);
/** The same rule data/assets.ts filters queries by: listed assets of the tenant, unlisted ones for tenant reach. */
const assetVisible = rule('assetVisible', { cache: 'no_cache' })((asset: DigitalAssetRow, _a, ctx: MarketContext) =>
  ctx.identity ? assetVisibleTo(ctx.identity, asset) : unauthenticated(),
);

const self = isSelf<{ id: string }>('user', (user) => user.id);

export const permissions: RuleTree = {
  Query: {
    // Single lookups return null outside your reach (the loaders filter), like not found.
    property: isAuthenticated,
    properties: can('market.property.read'),
    digitalAsset: isAuthenticated,
    digitalAssets: can('market.asset.read'),
  },
  Property: {
    '*': propertyField('market.property.read'),
    // Import bookkeeping: for the owner and for people who manage listings.
    source: propertyField('market.property.manage'),
    sourceId: propertyField('market.property.manage'),
  },
  Address: isAuthenticated,
  PropertyConnection: isAuthenticated,
  PropertyEdge: isAuthenticated,
  DigitalAsset: or(holdsOrMadeAsset, and(can('market.asset.read'), assetVisible)),
  AssetMetadata: isAuthenticated,
  AssetAttribute: isAuthenticated,
  BlockchainData: isAuthenticated,
  DigitalAssetConnection: isAuthenticated,
  DigitalAssetEdge: isAuthenticated,
  // The User's tenant is not known here: the data functions restrict these lists to the caller's
  // tenant (and asset visibility), so another tenant's person simply has no visible rows.
  User: {
    id: allow,
    listings: or(self, can('market.property.read')),
    digitalAssets: or(self, can('market.asset.read')),
  },
  PageInfo: allow,
};
