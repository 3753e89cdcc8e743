import type { Db, Filter } from 'mongodb';
import { badInput, decodeCursor, notFound, pageTake, toConnection, type Identity, type PageArgs } from '@pathway/kit';
import { categoryAccess, type CategoryDocument, type CategoryItemDocument } from '../access.ts';

/**
 * Seed 001's category tree (MongoDB; in tests and dev the mongo-wire stand-in), one tree per
 * tenant: each category names its parent and keeps its ancestors (root first), so a subtree is one
 * indexed query and a path needs no walk. Items are placed in categories by a second collection.
 */
export const CATEGORY_COLLECTION = 'content_categories';
export const CATEGORY_ITEM_COLLECTION = 'content_category_items';
export const categories = (db: Db) => db.collection<CategoryDocument>(CATEGORY_COLLECTION);
export const categoryItems = (db: Db) => db.collection<CategoryItemDocument>(CATEGORY_ITEM_COLLECTION);

/** The deepest a tree may grow (a root is depth 1). */
export const MAX_CATEGORY_DEPTH = 8;
/** At most this many items are gathered when a list is filtered by a category. */
const MAX_FILTER_ITEMS = 5000;

export type CategoryItemKind = CategoryItemDocument['kind'];

export async function ensureCategoryIndexes(db: Db): Promise<void> {
  await categories(db).createIndexes([
    // Seed 001's indexes (category_id is the document's _id).
    { key: { tenant_id: 1 }, name: 'tenant_id' },
    { key: { parent_id: 1 }, name: 'parent_id' },
    { key: { tenant_id: 1, name: 1 }, name: 'tenant_name' },
    // Siblings in order; sibling names unique among active categories; subtrees by ancestor.
    { key: { tenant_id: 1, parent_id: 1, position: 1 }, name: 'tenant_parent_position' },
    {
      key: { tenant_id: 1, parent_id: 1, name_key: 1 },
      name: 'active_sibling_name',
      unique: true,
      partialFilterExpression: { active: true },
    },
    { key: { tenant_id: 1, ancestors: 1 }, name: 'tenant_ancestors' },
  ]);
  await categoryItems(db).createIndexes([
    { key: { category_id: 1, kind: 1, content_id: 1 }, name: 'category_item', unique: true },
    { key: { category_id: 1, created_at: -1 }, name: 'category_created' },
    { key: { tenant_id: 1, kind: 1, content_id: 1 }, name: 'tenant_item' },
  ]);
}

export const findCategoriesByIds = (db: Db, identity: Identity, ids: readonly string[]) =>
  categories(db)
    .find({ $and: [{ _id: { $in: [...ids] } }, categoryAccess.where(identity)] })
    .toArray()
    .then((docs) => docs.map((d) => ({ ...d, id: d._id })));

/** A category the caller may see, or NOT_FOUND. */
export async function visibleCategory(db: Db, identity: Identity, id: string, what = 'The category') {
  const doc = await categories(db).findOne({ $and: [{ _id: id }, categoryAccess.where(identity)] });
  if (!doc) throw notFound(what);
  return doc;
}

/** Siblings under `parentId` (null: the roots) in their order, keyset on (position, _id). */
export async function listCategories(
  db: Db,
  identity: Identity,
  parentId: string | null,
  args: PageArgs & { includeArchived?: boolean | null },
) {
  const take = pageTake(args);
  const after = args.after ? decodeCursor(args.after) : null;
  if (after && typeof after.value !== 'number') throw badInput('The `after` cursor is not one this API returned. Start again without it.');
  const resume: Filter<CategoryDocument> = after
    ? { $or: [{ position: { $gt: after.value as number } }, { position: after.value as number, _id: { $gt: after.id } }] }
    : {};
  const docs = await categories(db)
    .find({ $and: [categoryAccess.where(identity), { parent_id: parentId }, args.includeArchived ? {} : { active: true }, resume] })
    .sort({ position: 1, _id: 1 })
    .limit(take)
    .toArray();
  return toConnection(
    docs.map((d) => ({ ...d, id: d._id })),
    { take },
    'position',
  );
}

/** The category and every category below it that the caller may see. */
async function subtreeIds(db: Db, identity: Identity, categoryId: string): Promise<string[]> {
  const below = await categories(db)
    .find({ $and: [categoryAccess.where(identity), { ancestors: categoryId }] }, { projection: { _id: 1 } })
    .toArray();
  return [categoryId, ...below.map((d) => d._id)];
}

/** Ids of items of `kind` placed in the category or below it (list filters: `categoryId`). */
export async function contentIdsInCategory(db: Db, identity: Identity, categoryId: string, kind: CategoryItemKind): Promise<string[]> {
  await visibleCategory(db, identity, categoryId);
  const ids = await subtreeIds(db, identity, categoryId);
  const docs = await categoryItems(db)
    .find({ category_id: { $in: ids }, kind }, { projection: { content_id: 1 } })
    .limit(MAX_FILTER_ITEMS)
    .toArray();
  return [...new Set(docs.map((d) => d.content_id))];
}

/** One page of what is placed in the category itself, newest first (keyset on created_at, _id). */
export async function listCategoryItems(db: Db, categoryId: string, args: PageArgs & { kind?: CategoryItemKind | null }) {
  const take = pageTake(args);
  const after = args.after ? decodeCursor(args.after) : null;
  if (after && !(after.value instanceof Date)) throw badInput('The `after` cursor is not one this API returned. Start again without it.');
  const resume: Filter<CategoryItemDocument> = after
    ? { $or: [{ created_at: { $lt: after.value as Date } }, { created_at: after.value as Date, _id: { $lt: after.id } }] }
    : {};
  const docs = await categoryItems(db)
    .find({ $and: [{ category_id: categoryId }, args.kind ? { kind: args.kind } : {}, resume] })
    .sort({ created_at: -1, _id: -1 })
    .limit(take)
    .toArray();
  return { docs, take };
}

/** Categories of the caller's reach holding each item (an item's `categories`). */
export async function categoriesOfItems(db: Db, identity: Identity, kind: CategoryItemKind, contentIds: readonly string[]) {
  const placed = await categoryItems(db)
    .find({ kind, content_id: { $in: [...contentIds] } })
    .toArray();
  const found = await findCategoriesByIds(db, identity, [...new Set(placed.map((p) => p.category_id))]);
  const byId = new Map(found.filter((c) => c.active).map((c) => [c._id, c]));
  return placed.flatMap((p) => (byId.has(p.category_id) ? [{ contentId: p.content_id, category: byId.get(p.category_id)! }] : []));
}
