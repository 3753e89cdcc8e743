import { mongoPageQuery, type Identity, type PageArgs } from '@pathway/kit';
import { virtualSpaceAccess, spaceEditFilter } from '../access.ts';
import type { MongoDb } from './assets.ts';

// Virtual spaces live in MongoDB (no Row-Level Security): every read here ANDs
// `virtualSpaceAccess.where(identity)` in; the writes' updates are conditional on what they checked.

export interface Vector3 {
  x: number;
  y: number;
  z: number;
}

/** An asset placed in a space (seed 004 `assets[]`), with who placed it and when. */
export interface PlacedAssetDoc {
  assetId: string;
  position: Vector3;
  rotation: Vector3;
  scale: Vector3;
  placedBy: string;
  placedAt: Date;
}

/** A virtual space document (seed 004), camelCase; `_id` is a UUID string. */
export interface SpaceDocument {
  _id: string;
  tenantId: string;
  name: string;
  description?: string | null;
  ownerId: string;
  spaceType: string;
  geometryData: { coordinates: Vector3; dimensions: { width: number; height: number; depth: number } };
  assets: PlacedAssetDoc[];
  /** Seed 004's is_public, allowed_users, allowed_groups (role names), plus editors (who may place assets). */
  accessControl: { isPublic: boolean; allowedUsers: string[]; allowedGroups: string[]; editors: string[] };
  createdAt: Date;
  updatedAt: Date;
}

export type VirtualSpaceRow = Omit<SpaceDocument, '_id'> & { id: string };

export const SPACES_COLLECTION = 'virtual_spaces';
/** How many assets one space holds at most (the list is answered whole). */
export const MAX_PLACED_ASSETS = 200;

const spaces = (db: MongoDb) => db.collection<SpaceDocument>(SPACES_COLLECTION);
export type SpaceFilter = Parameters<ReturnType<typeof spaces>['find']>[0];
const toRow = ({ _id, ...rest }: SpaceDocument): VirtualSpaceRow => ({ id: _id, ...rest });

export async function ensureSpaceIndexes(db: MongoDb): Promise<void> {
  await spaces(db).createIndexes([
    { key: { tenantId: 1, ownerId: 1, _id: 1 }, name: 'tenant_owner' },
    { key: { tenantId: 1, 'accessControl.isPublic': 1, _id: 1 }, name: 'tenant_public' },
    { key: { tenantId: 1, 'accessControl.editors': 1 }, name: 'tenant_editors' },
    { key: { tenantId: 1, 'accessControl.allowedUsers': 1 }, name: 'tenant_allowed' },
  ]);
}

export async function findSpacesByIds(db: MongoDb, identity: Identity, ids: readonly string[]): Promise<VirtualSpaceRow[]> {
  const docs = await spaces(db)
    .find({ $and: [virtualSpaceAccess.where(identity), { _id: { $in: [...ids] } }] })
    .toArray();
  return docs.map(toRow);
}

export interface SpaceListFilter {
  ownerId?: string | null;
  spaceType?: string | null;
  editable?: boolean | null;
  /** Only these ids (the tag filter's answer, data/tags.ts), when set. */
  ids?: string[] | null;
}

/** One page (by `_id`) of the spaces the caller may enter; one extra row when there is a next page. */
export async function listSpaces(db: MongoDb, identity: Identity, filter: SpaceListFilter, page: PageArgs) {
  const query = mongoPageQuery(page);
  const conditions: SpaceFilter[] = [virtualSpaceAccess.where(identity), query.filter];
  if (filter.ownerId) conditions.push({ ownerId: filter.ownerId });
  if (filter.spaceType) conditions.push({ spaceType: filter.spaceType });
  if (filter.editable === true) conditions.push(spaceEditFilter(identity));
  if (filter.editable === false) conditions.push({ $nor: [spaceEditFilter(identity)] });
  if (filter.ids) conditions.push({ _id: { $in: filter.ids } });
  const docs = await spaces(db).find({ $and: conditions }).sort(query.sort).limit(query.limit).toArray();
  return { rows: docs.map(toRow), take: query.limit };
}

export async function insertSpace(db: MongoDb, space: SpaceDocument): Promise<VirtualSpaceRow> {
  await spaces(db).insertOne(space);
  return toRow(space);
}

/**
 * Applies `update` to the space iff it still matches `guard` (what the write checked: the caller may
 * edit it, the asset is or is not there, the position fits). Returns the space after, or null.
 */
export async function updateSpaceIf(
  db: MongoDb,
  id: string,
  guard: SpaceFilter[],
  update: Parameters<ReturnType<typeof spaces>['updateOne']>[1],
  arrayFilters?: Record<string, unknown>[],
): Promise<VirtualSpaceRow | null> {
  const updated = await spaces(db).findOneAndUpdate({ $and: [{ _id: id }, ...guard] }, update, {
    returnDocument: 'after',
    ...(arrayFilters ? { arrayFilters } : {}),
  });
  return updated ? toRow(updated) : null;
}

/** A space by id, for telling why a conditional update matched nothing. */
export async function findSpace(db: MongoDb, identity: Identity, id: string): Promise<VirtualSpaceRow | null> {
  return (await findSpacesByIds(db, identity, [id]))[0] ?? null;
}
