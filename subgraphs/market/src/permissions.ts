import { allow, and, can, inTenant, isAuthenticated, isSelf, or, relation, type PermissionKey, type RuleTree } from '@pathway/kit';
import type { Property } from './generated/prisma/client.ts';
import { assetVisibleTo, isHolderOrCreator, type DigitalAssetRow } from './data/assets.ts';
import type { MarketContext } from './context.ts';

const ownsProperty = relation<Property, MarketContext>('propertyOwner', (property, ctx) => property.ownerId === ctx.identity.userId);
/** Listings are tenant-wide (kit tenantFilter): any role's reach over them is its tenant. */
const propertyInTenant = relation<Property, MarketContext>('propertyInTenant', (property, ctx) => inTenant(ctx.identity, property));
const propertyField = (key: PermissionKey) => or(ownsProperty, and(can(key), propertyInTenant));

const holdsOrMadeAsset = relation<DigitalAssetRow, MarketContext>('assetHolderOrCreator', (asset, ctx) =>
  isHolderOrCreator(ctx.identity, asset),
);
/** The same rule data/assets.ts filters queries by: listed assets of the tenant, unlisted ones for tenant reach. */
const assetVisible = relation<DigitalAssetRow, MarketContext>('assetVisible', (asset, ctx) => assetVisibleTo(ctx.identity, asset));

const self = isSelf<{ id: string }>('user', (user) => user.id);

export const permissions: RuleTree = {
  Query: {
    marketStats: can('market.aggregate.read'),
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
  // The resolver decides holder vs administrator (it needs the asset); signed-in callers only.
  Mutation: { transferDigitalAsset: isAuthenticated },
  // The gateway resolves each event's asset through `digitalAsset` with the subscriber's identity.
  Subscription: { assetTransferred: isAuthenticated, marketActivity: isAuthenticated },
  AssetTransferredEvent: isAuthenticated,
  MarketActivityEvent: isAuthenticated,
  MarketStats: can('market.aggregate.read'),
  PropertyStatusCount: can('market.aggregate.read'),
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
