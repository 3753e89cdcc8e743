import {
  badInput,
  decodeCursor,
  mongoPageQuery,
  pageTake,
  type Identity,
  type MongoConnection,
  type PageArgs,
  type PendingEvent,
} from '@pathway/kit';
import type { DigitalAssetFilter } from '../generated/graphql.ts';
import { digitalAssetAccess } from '../access.ts';

// Digital assets live in MongoDB, where there is no Row-Level Security: every function here takes
// the caller's Identity and ANDs `digitalAssetAccess.where(identity)` into its query, so no caller can forget it.

export type MongoDb = MongoConnection['db'];

/** A digital asset document (seed 004), camelCase. `_id` is a UUID string. */
export interface AssetDocument {
  _id: string;
  tenantId: string;
  name: string;
  description?: string | null;
  creatorId: string;
  ownerId: string;
  /** badge, nft, virtual_land, … */
  assetType: string;
  metadata?: {
    imageUrl?: string | null;
    animationUrl?: string | null;
    externalUrl?: string | null;
    attributes?: { traitType: string; value: unknown }[];
  } | null;
  blockchainData?: {
    contractAddress?: string | null;
    tokenId?: string | null;
    blockchain?: string | null;
    tokenStandard?: string | null;
  } | null;
  isListed: boolean;
  /** Exact decimal as a string ("25.00"), never a JS number. */
  listingPrice?: string | null;
  listingCurrency?: string | null;
  /** `listingPrice` as fixed-width text (`priceKey`), so range filters compare exactly: set on every write of a price. */
  listingPriceKey?: string | null;
  /** The Postgres `mint` transaction that made it (absent on assets that predate the API). */
  mintTransactionId?: string;
  createdAt: Date;
  updatedAt: Date;
  /** Changes of hands, oldest first (the asset's audit trail). */
  transfers?: AssetTransfer[];
  /** Events about this asset not yet on the stream (the kit's document outbox); never read by the API. */
  pendingEvents?: PendingEvent[];
}

/** What resolvers get: the document with `_id` renamed `id`, like a Postgres row, without its pending events. */
export type DigitalAssetRow = Omit<AssetDocument, '_id' | 'pendingEvents'> & { id: string };

/**
 * A non-negative decimal price (below 10^10, up to 8 places: the transaction bounds) as text whose
 * order is the numbers' order: 10 integer digits, a point, 8 fraction digits ("25.5" → "0000000025.50000000").
 * Mongo compares strings exactly, where a double would round.
 */
export function priceKey(price: string | null | undefined): string | null {
  if (price == null) return null;
  const [whole = '0', fraction = ''] = price.split('.');
  return `${whole.replace(/^0+(?=\d)/, '').padStart(10, '0')}.${fraction.padEnd(8, '0').slice(0, 8)}`;
}

export const ASSETS_COLLECTION = 'digital_assets';

const assets = (db: MongoDb) => db.collection<AssetDocument>(ASSETS_COLLECTION);
/** A Mongo filter on asset documents. */
export type AssetFilter = Parameters<ReturnType<typeof assets>['find']>[0];

// Every read leaves the pending events in the database: they name people and are the relay's alone.
const WITHOUT_PENDING_EVENTS = { pendingEvents: 0 } as const;
const toRow = ({ _id, pendingEvents: _pending, ...rest }: AssetDocument): DigitalAssetRow => ({ id: _id, ...rest });

/** The indexes the queries below rely on; idempotent, run at startup. */
export async function ensureAssetIndexes(db: MongoDb): Promise<void> {
  await assets(db).createIndexes([
    { key: { tenantId: 1, ownerId: 1, _id: 1 }, name: 'tenant_owner' },
    { key: { tenantId: 1, creatorId: 1 }, name: 'tenant_creator' },
    { key: { tenantId: 1, isListed: 1, _id: 1 }, name: 'tenant_listed' },
    { key: { tenantId: 1, assetType: 1, _id: 1 }, name: 'tenant_type' },
    { key: { tenantId: 1, isListed: 1, listingCurrency: 1, listingPriceKey: 1 }, name: 'tenant_listed_price' },
  ]);
}

export async function findAssetsByIds(db: MongoDb, identity: Identity, ids: readonly string[]): Promise<DigitalAssetRow[]> {
  const docs = await assets(db)
    .find({ $and: [digitalAssetAccess.where(identity), { _id: { $in: [...ids] } }] }, { projection: WITHOUT_PENDING_EVENTS })
    .toArray();
  return docs.map(toRow);
}

/** One page (by `_id`) of the assets the caller may see. Returns one extra row when there is a next page. */
export async function listAssets(db: MongoDb, identity: Identity, filter: AssetListFilter, page: PageArgs) {
  const query = mongoPageQuery(page);
  const where: AssetFilter = { $and: [digitalAssetAccess.where(identity), query.filter, ...assetConditions(filter)] };
  const docs = await assets(db).find(where, { projection: WITHOUT_PENDING_EVENTS }).sort(query.sort).limit(query.limit).toArray();
  return { rows: docs.map(toRow), take: query.limit };
}

/** The filter's conditions on documents (the caller's access is ANDed in by the callers). */
function assetConditions(filter: AssetListFilter): AssetFilter[] {
  const conditions: AssetFilter[] = [];
  if (filter.assetType) conditions.push({ assetType: filter.assetType });
  if (typeof filter.isListed === 'boolean') conditions.push({ isListed: filter.isListed });
  if (filter.ownerId) conditions.push({ ownerId: filter.ownerId });
  if (filter.creatorId) conditions.push({ creatorId: filter.creatorId });
  if (filter.listingCurrency) conditions.push({ listingCurrency: filter.listingCurrency });
  if (filter.ids) conditions.push({ _id: { $in: filter.ids } });
  // A price range means listed assets: an unlisted one's old price is no offer.
  const min = priceKey(filter.minPrice ?? null);
  const max = priceKey(filter.maxPrice ?? null);
  if (min || max) conditions.push({ isListed: true, listingPriceKey: { ...(min ? { $gte: min } : {}), ...(max ? { $lte: max } : {}) } });
  return conditions;
}

/** A list filter as data functions take it: the GraphQL filter with prices as exact decimal text. */
export type AssetListFilter = Omit<DigitalAssetFilter, 'minPrice' | 'maxPrice' | 'tags'> & {
  minPrice?: string | null;
  maxPrice?: string | null;
  /** Only these ids (the tag filter's answer, data/tags.ts), when set. */
  ids?: string[] | null;
};

/** The GraphQL filter checked (prices 0 or more with at most 8 decimals, minimum not above maximum) as data functions take it. */
export function assetListFilter(filter: DigitalAssetFilter | null | undefined): AssetListFilter {
  const { minPrice, maxPrice, tags: _tags, ...rest } = filter ?? {};
  const problems: Record<string, string> = {};
  for (const [key, price] of Object.entries({ minPrice, maxPrice }))
    if (price && (price.isNegative() || price.decimalPlaces() > 8 || price.greaterThanOrEqualTo(1e10)))
      problems[key] = 'must be at least 0 and below 10000000000, with at most 8 decimals';
  if (minPrice && maxPrice && minPrice.greaterThan(maxPrice)) problems.minPrice = 'must not be above maxPrice';
  if (Object.keys(problems).length) throw badInput('The asset filter is not valid.', problems);
  return { ...rest, minPrice: minPrice?.toString() ?? null, maxPrice: maxPrice?.toString() ?? null };
}

/**
 * The first page (by `_id`) of each of many owners' visible assets in one aggregation: a list of
 * 100 people costs one round trip. Each owner's rows include one extra when there is a next page.
 */
export async function assetsOfOwners(
  db: MongoDb,
  identity: Identity,
  ownerIds: readonly string[],
  page: PageArgs,
): Promise<DigitalAssetRow[]> {
  const take = pageTake(page);
  const after = page.after ? { _id: { $gt: decodeCursor(page.after).id } } : {};
  const groups = await assets(db)
    .aggregate<{ _id: string; docs: AssetDocument[] }>([
      { $match: { $and: [digitalAssetAccess.where(identity), { ownerId: { $in: [...ownerIds] } }, after] } },
      { $project: WITHOUT_PENDING_EVENTS },
      { $sort: { ownerId: 1, _id: 1 } },
      { $group: { _id: '$ownerId', docs: { $push: '$$ROOT' } } },
      { $project: { docs: { $slice: ['$docs', take] } } },
    ])
    .toArray();
  return groups.flatMap((group) => group.docs.map(toRow));
}

/** One change of hands, kept on the asset: who gave it, to whom, who did it, when. */
export interface AssetTransfer {
  fromOwnerId: string;
  toOwnerId: string;
  byUserId: string;
  at: Date;
  /** The Postgres transaction this change of hands carries out (writes/asset-transfers.ts); absent on older entries. */
  transactionId?: string;
}

/**
 * Carries out an asset transaction on the document, at most once: moves the asset from `fromOwnerId`
 * (if it still holds it) to `toOwnerId` unless an entry of this transaction is already there, storing
 * the event in the same atomic update. Scoped by tenant, not by a caller: the transaction was checked
 * when it was started, and the reconciliation job applies it as the service. Returns whether this call moved it.
 */
export async function applyTransfer(
  db: MongoDb,
  t: { tenantId: string; assetId: string; fromOwnerId: string; toOwnerId: string; transactionId: string; byUserId: string },
  event: PendingEvent,
): Promise<boolean> {
  const transfer: AssetTransfer = {
    fromOwnerId: t.fromOwnerId,
    toOwnerId: t.toOwnerId,
    byUserId: t.byUserId,
    at: new Date(),
    transactionId: t.transactionId,
  };
  const updated = await assets(db).findOneAndUpdate(
    { _id: t.assetId, tenantId: t.tenantId, ownerId: t.fromOwnerId, 'transfers.transactionId': { $ne: t.transactionId } },
    { $set: { ownerId: t.toOwnerId, isListed: false, updatedAt: transfer.at }, $push: { transfers: transfer, pendingEvents: event } },
    { returnDocument: 'after', projection: { _id: 1 } },
  );
  return updated !== null;
}

/** Whether the asset already carries this transaction's change of hands. */
export async function transferApplied(db: MongoDb, tenantId: string, assetId: string, transactionId: string): Promise<boolean> {
  return (await assets(db).countDocuments({ _id: assetId, tenantId, 'transfers.transactionId': transactionId })) > 0;
}

/** An asset by id within a tenant, for the service's own work (no caller to scope by). */
export async function findAssetOfTenant(db: MongoDb, tenantId: string, assetId: string): Promise<DigitalAssetRow | null> {
  const doc = await assets(db).findOne({ _id: assetId, tenantId }, { projection: WITHOUT_PENDING_EVENTS });
  return doc ? toRow(doc) : null;
}

/** A new asset document, stored at most once (its id is the mint transaction's `assetId`): inserted unless it exists. */
export async function insertMintedAsset(db: MongoDb, asset: AssetDocument): Promise<void> {
  const { _id, ...fields } = asset;
  try {
    await assets(db).updateOne({ _id }, { $setOnInsert: fields }, { upsert: true });
  } catch (error) {
    // Two concurrent upserts of one _id: mongod lets one insert and fails the other with a duplicate key.
    if ((error as { code?: unknown }).code !== 11000) throw error;
  }
}

/** Whether the asset this mint transaction names is stored (and was made by it). */
export async function mintApplied(db: MongoDb, tenantId: string, assetId: string, transactionId: string): Promise<boolean> {
  return (await assets(db).countDocuments({ _id: assetId, tenantId, mintTransactionId: transactionId })) > 0;
}

/**
 * Sets an asset's listing iff `holderId` still holds it (a transfer in between wins: null then).
 * Returns the document as the update left it.
 */
export async function setAssetListing(
  db: MongoDb,
  t: { tenantId: string; assetId: string; holderId: string },
  listing: { isListed: boolean; listingPrice: string | null; listingCurrency: string | null },
): Promise<DigitalAssetRow | null> {
  const updated = await assets(db).findOneAndUpdate(
    { _id: t.assetId, tenantId: t.tenantId, ownerId: t.holderId },
    { $set: { ...listing, listingPriceKey: priceKey(listing.listingPrice), updatedAt: new Date() } },
    { returnDocument: 'after', projection: WITHOUT_PENDING_EVENTS },
  );
  return updated ? toRow(updated) : null;
}
