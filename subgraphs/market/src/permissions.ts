import { allow, and, can, isAuthenticated, isSelf, matchesFilter, or, relation, visibleRow, type RuleTree } from '@pathway/kit';
import type { Property } from './generated/prisma/client.ts';
import type { DigitalAssetRow } from './data/assets.ts';
import {
  businessModelAccess,
  businessProjectAccess,
  digitalAssetAccess,
  mayEditSpace,
  propertyAccess,
  reservationAccess,
  transactionAccess,
  virtualSpaceAccess,
} from './access.ts';
import type { BusinessModelRow } from './data/business-models.ts';
import type { ProjectRow } from './data/projects.ts';
import type { VirtualSpaceRow } from './data/spaces.ts';
import type { Transaction } from './generated/prisma/client.ts';
import type { MarketContext } from './context.ts';

// Row rules: the parent row is one the caller may see under its access filter (access.ts).
const propertyVisible = visibleRow(propertyAccess, (ctx: MarketContext) => ctx.loaders.propertyVisible);
const transactionVisible = visibleRow(transactionAccess, (ctx: MarketContext) => ctx.loaders.transactionVisible);
/** Money and wallets: the transaction's parties, and administrators who read every transaction. */
const partyOrReader = and(
  transactionVisible,
  or(
    relation<Transaction, MarketContext>(
      'transactionParty',
      (t, ctx) => t.sellerId === ctx.identity.userId || t.buyerId === ctx.identity.userId,
    ),
    can('market.transaction.read'),
  ),
);
const reservationVisible = visibleRow(reservationAccess, (ctx: MarketContext) => ctx.loaders.reservationVisible);
/** A loaded asset document carries every field its filter names: mingo decides it, no database round trip. */
const assetVisible = relation<DigitalAssetRow, MarketContext>(`visible:${digitalAssetAccess.name}`, (asset, ctx) =>
  matchesFilter(digitalAssetAccess.where(ctx.identity), asset),
);

const spaceVisible = relation<VirtualSpaceRow, MarketContext>(`visible:${virtualSpaceAccess.name}`, (space, ctx) =>
  matchesFilter(virtualSpaceAccess.where(ctx.identity), space),
);
const spaceEditor = relation<VirtualSpaceRow, MarketContext>('spaceEditor', (space, ctx) => mayEditSpace(ctx.identity, space));

/** Mongo documents carry every field their filter names: mingo decides, no database round trip. */
const modelVisible = relation<BusinessModelRow, MarketContext>(`visible:${businessModelAccess.name}`, (model, ctx) =>
  matchesFilter(businessModelAccess.where(ctx.identity), model),
);
const projectVisible = relation<ProjectRow, MarketContext>(`visible:${businessProjectAccess.name}`, (project, ctx) =>
  matchesFilter(businessProjectAccess.where(ctx.identity), project),
);

const ownsProperty = isSelf<Property>('propertyOwner', (property) => property.ownerId);
const ownerOrManager = or(ownsProperty, and(can('market.property.manage'), propertyVisible));
const self = isSelf<{ id: string }>('user', (user) => user.id);

export const permissions: RuleTree = {
  Query: {
    marketStats: can('market.aggregate.read'),
    // Single lookups return null outside your reach (the loaders filter), like not found.
    property: isAuthenticated,
    properties: can('market.property.read'),
    digitalAsset: isAuthenticated,
    // Everyone sees at least their own; the access filter decides the rest.
    reservation: isAuthenticated,
    reservations: isAuthenticated,
    transaction: isAuthenticated,
    digitalAssets: can('market.asset.read'),
    // The access filter decides (a space's ACL may let in anyone of the tenant).
    virtualSpace: isAuthenticated,
    virtualSpaces: isAuthenticated,
    cityResource: can('market.property.read'),
    cityResources: can('market.property.read'),
    // The tenant's vocabulary (RLS and the tenant filter keep it there).
    tags: isAuthenticated,
    businessModel: can('market.property.read'),
    businessModels: can('market.property.read'),
    // The access filter decides: your own projects; administrators' reach.
    businessProject: isAuthenticated,
    businessProjects: isAuthenticated,
  },
  Tag: isAuthenticated,
  TagConnection: isAuthenticated,
  TagEdge: isAuthenticated,
  TagChange: isAuthenticated,
  ItemTagsChange: isAuthenticated,
  BusinessModel: { '*': and(can('market.property.read'), modelVisible) },
  RevenueStream: isAuthenticated,
  CostItem: isAuthenticated,
  BusinessModelConnection: isAuthenticated,
  BusinessModelEdge: isAuthenticated,
  BusinessModelChange: isAuthenticated,
  BusinessProject: { '*': projectVisible },
  ProjectProgress: isAuthenticated,
  ProjectMilestone: isAuthenticated,
  ProjectFinancials: isAuthenticated,
  FinancialLine: isAuthenticated,
  BusinessProjectConnection: isAuthenticated,
  BusinessProjectEdge: isAuthenticated,
  BusinessProjectChange: isAuthenticated,
  ProjectChangedEvent: isAuthenticated,
  // Computed for the caller alone (User.recommendations is the person's own); the items it names keep their own rules.
  Recommendation: isAuthenticated,
  RelatedEntity: isAuthenticated,
  RecommendationFeedback: isAuthenticated,
  RecommendationConnection: isAuthenticated,
  RecommendationEdge: isAuthenticated,
  RecommendationChange: isAuthenticated,
  Property: {
    '*': propertyVisible,
    // Import bookkeeping and the activity log: for the owner and for people (of the listing's tenant) who manage listings.
    source: ownerOrManager,
    sourceId: ownerOrManager,
    activity: ownerOrManager,
    reservations: ownerOrManager,
    transactions: or(ownerOrManager, and(can('market.transaction.read'), propertyVisible)),
  },
  Reservation: reservationVisible,
  Transaction: {
    '*': transactionVisible,
    amount: partyOrReader,
    currency: partyOrReader,
    paymentMethod: partyOrReader,
    paymentReference: partyOrReader,
    sellerWallet: partyOrReader,
    buyerWallet: partyOrReader,
    blockchainTxHash: partyOrReader,
  },
  TransactionConnection: isAuthenticated,
  TransactionEdge: isAuthenticated,
  TransactionChange: isAuthenticated,
  ReservationConnection: isAuthenticated,
  ReservationEdge: isAuthenticated,
  ReservationChange: isAuthenticated,
  PropertyMedia: isAuthenticated,
  ActivityLogEntry: isAuthenticated,
  ActivityConnection: isAuthenticated,
  ActivityEdge: isAuthenticated,
  PropertyChange: isAuthenticated,
  Tenant: { id: allow },
  Address: isAuthenticated,
  PropertyConnection: isAuthenticated,
  PropertyEdge: isAuthenticated,
  // The resolver decides holder vs administrator (it needs the asset); signed-in callers only.
  Mutation: {
    transferDigitalAsset: isAuthenticated,
    createProperty: can('market.property.create'),
    // Owner or listing manager: writes/properties.ts decides (it needs the listing).
    updateProperty: isAuthenticated,
    verifyProperty: can('market.property.verify'),
    unlistProperty: isAuthenticated,
    relistProperty: isAuthenticated,
    archiveProperty: isAuthenticated,
    setPropertyMedia: isAuthenticated,
    requestReservation: can('market.reservation.request'),
    // The listing's side, or (cancel) the person it is for: writes/reservations.ts decides.
    confirmReservation: isAuthenticated,
    declineReservation: isAuthenticated,
    cancelReservation: isAuthenticated,
    startPropertyTransaction: can('market.transaction.create'),
    // The listing's side (complete), a party or manager (fail), the holder or an asset manager: the writes decide.
    completeTransaction: isAuthenticated,
    failTransaction: isAuthenticated,
    startAssetTransaction: isAuthenticated,
    mintDigitalAsset: can('market.asset.create'),
    // The holder only: writes/asset-listing.ts decides (it needs the asset).
    updateDigitalAssetListing: isAuthenticated,
    createVirtualSpace: can('market.space.create'),
    createCityResource: can('market.resource.manage'),
    updateCityResource: can('market.resource.manage'),
    // The space's owner or editors (ACL), or an asset manager: writes/spaces.ts decides (it needs the space).
    updateVirtualSpace: isAuthenticated,
    placeAssetInSpace: isAuthenticated,
    moveAssetInSpace: isAuthenticated,
    removeAssetFromSpace: isAuthenticated,
    // Your own recommendations only: writes/recommendations.ts finds the id among them.
    rateRecommendation: isAuthenticated,
    createTag: can('market.tag.create'),
    // Whoever may change the item: writes/tags.ts decides (it needs the item).
    tagItem: isAuthenticated,
    untagItem: isAuthenticated,
    createBusinessModel: can('market.business_model.manage'),
    updateBusinessModel: can('market.business_model.manage'),
    archiveBusinessModel: can('market.business_model.manage'),
    createBusinessProject: can('market.project.create'),
    // The owner, or a project manager of its reach: writes/projects.ts decides (it needs the project).
    updateBusinessProject: isAuthenticated,
    archiveBusinessProject: isAuthenticated,
  },
  // The gateway resolves each event's asset through `digitalAsset` with the subscriber's identity.
  Subscription: {
    assetTransferred: isAuthenticated,
    marketActivity: isAuthenticated,
    reservationChanged: isAuthenticated,
    transactionCompleted: isAuthenticated,
    listingVerified: isAuthenticated,
    listingChanged: isAuthenticated,
    projectChanged: isAuthenticated,
  },
  ReservationChangedEvent: isAuthenticated,
  TransactionCompletedEvent: isAuthenticated,
  ListingVerifiedEvent: isAuthenticated,
  ListingChangedEvent: isAuthenticated,
  AssetTransferredEvent: isAuthenticated,
  MarketActivityEvent: isAuthenticated,
  MarketStats: can('market.aggregate.read'),
  PropertyStatusCount: can('market.aggregate.read'),
  MarketRecordCount: can('market.aggregate.read'),
  DigitalAsset: { '*': assetVisible },
  AssetMetadata: isAuthenticated,
  AssetAttribute: isAuthenticated,
  BlockchainData: isAuthenticated,
  DigitalAssetConnection: isAuthenticated,
  DigitalAssetEdge: isAuthenticated,
  DigitalAssetMint: isAuthenticated,
  VirtualSpace: { '*': spaceVisible, accessControl: and(spaceVisible, spaceEditor) },
  PlacedAsset: isAuthenticated,
  CityResource: can('market.property.read'),
  CityResourceConnection: isAuthenticated,
  CityResourceEdge: isAuthenticated,
  CityResourceChange: isAuthenticated,
  SpaceAccessControl: isAuthenticated,
  SpaceGeometry: isAuthenticated,
  SpaceDimensions: isAuthenticated,
  Vector3: isAuthenticated,
  VirtualSpaceConnection: isAuthenticated,
  VirtualSpaceEdge: isAuthenticated,
  VirtualSpaceChange: isAuthenticated,
  DigitalAssetChange: isAuthenticated,
  // The User's tenant is not known here: the data functions restrict these lists to the caller's
  // tenant (and asset visibility), so another tenant's person simply has no visible rows.
  User: {
    id: allow,
    listings: or(self, can('market.property.read')),
    digitalAssets: or(self, can('market.asset.read')),
    assets: or(self, can('market.asset.read')),
    virtualSpaces: isAuthenticated,
    reservations: or(self, can('market.reservation.read'), can('market.property.manage')),
    transactions: or(self, can('market.transaction.read'), can('market.property.manage')),
    // The access filter leaves others' projects only to project managers of their reach.
    projects: or(self, can('market.project.manage')),
    // Ranked from the person's own profile: theirs alone.
    recommendations: self,
  },
  PageInfo: allow,
};
