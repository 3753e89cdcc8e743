import { randomUUID } from 'node:crypto';
import { MongoServerError, type Db } from 'mongodb';
import { z } from 'zod';
import { badInput, conflict, forbidden, notFound, parseInput, reachOf, uuidArg, type Identity } from '@pathway/kit';
import { courseAccess, type CategoryDocument } from '../access.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { CreateCategoryInput, UpdateCategoryInput } from '../generated/graphql.ts';
import { categories, categoryItems, MAX_CATEGORY_DEPTH, type CategoryItemKind } from '../data/categories.ts';
import { visibleItem } from './content-visibility.ts';

type Read = <T>(fn: (tx: Prisma.TransactionClient) => Promise<T>) => Promise<T>;

// The category tree is the tenant's: only tenant (and system) administrators with
// `learning.content.manage` shape it. MongoDB here has no transactions (the mongo-wire stand-in, a
// standalone server): each change checks everything first, then writes the category itself (where
// the unique sibling-name index can still refuse), and only then what follows from it (sibling
// order, the ancestors of a moved subtree).

const name = z.string().trim().min(1, 'required').max(120, 'at most 120 characters');
const description = z.string().trim().max(2000, 'at most 2000 characters');
const position = z.number().int('must be a whole number').min(0, 'must be 0 or more').max(10_000, 'at most 10000');
const createSchema = z.object({
  name,
  description: description.nullish(),
  parentId: z.uuid('not a UUID').nullish(),
  position: position.nullish(),
});
const updateSchema = z
  .object({ name: name.nullish(), description: description.nullish() })
  .refine((v) => v.name != null || v.description !== undefined, { message: 'name or description is required', path: ['name'] });

const nameKey = (value: string) => value.trim().toLowerCase();

function tenantAdministrator(identity: Identity) {
  if (reachOf(identity) === 'facility') throw forbidden('Only tenant administrators shape the category tree.');
}

const duplicateName = () =>
  conflict('Another category under the same parent has this name.', {
    reason: 'DUPLICATE',
    fields: ['name'],
    fieldErrors: { name: 'is taken' },
  });

/** The unique sibling-name index refused: the same answer as the check before it. */
function rethrowDuplicateName(error: unknown): never {
  if (error instanceof MongoServerError && error.code === 11000) throw duplicateName();
  throw error;
}

/** An active category of the caller's tenant, for a change (NOT_FOUND otherwise; archived: CONFLICT ARCHIVED). */
async function activeCategory(db: Db, identity: Identity, id: string, field = 'id'): Promise<CategoryDocument> {
  const doc = await categories(db).findOne({ _id: uuidArg(id, field)!, tenant_id: identity.tenantId });
  if (!doc) throw notFound(field === 'id' ? 'The category' : 'The parent category');
  if (!doc.active)
    throw conflict('The category is archived and takes no changes.', { reason: 'ARCHIVED', fieldErrors: { [field]: 'archived' } });
  return doc;
}

async function siblingNameTaken(db: Db, tenantId: string, parentId: string | null, key: string, except?: string) {
  const other = await categories(db).findOne({ tenant_id: tenantId, parent_id: parentId, name_key: key, active: true });
  return other != null && other._id !== except;
}

/** Puts `id` at `at` among the active siblings under `parentId` (null: remove it) and renumbers them 0…n-1. */
async function reorder(db: Db, tenantId: string, parentId: string | null, id: string, at: number | null) {
  const siblings = await categories(db)
    .find({ tenant_id: tenantId, parent_id: parentId, active: true, _id: { $ne: id } }, { projection: { _id: 1, position: 1 } })
    .sort({ position: 1, _id: 1 })
    .toArray();
  const order = siblings.map((s) => s._id);
  if (at !== null) order.splice(Math.min(at, order.length), 0, id);
  const current = new Map(siblings.map((s) => [s._id, s.position]));
  const updates = order
    .map((sid, i) => ({ sid, i }))
    .filter(({ sid, i }) => current.get(sid) !== i)
    .map(({ sid, i }) => ({ updateOne: { filter: { _id: sid }, update: { $set: { position: i } } } }));
  if (updates.length) await categories(db).bulkWrite(updates, { ordered: true });
}

/** How many levels the subtree under `id` has (1: no children). */
async function subtreeHeight(db: Db, category: CategoryDocument): Promise<number> {
  const below = await categories(db)
    .find({ tenant_id: category.tenant_id, ancestors: category._id }, { projection: { ancestors: 1 } })
    .toArray();
  return 1 + below.reduce((h, d) => Math.max(h, d.ancestors.length - category.ancestors.length), 0);
}

export async function createCategory(db: Db, identity: Identity, input: CreateCategoryInput): Promise<CategoryDocument> {
  tenantAdministrator(identity);
  const v = parseInput(createSchema, input);
  const parent = v.parentId ? await activeCategory(db, identity, v.parentId, 'parentId') : null;
  const ancestors = parent ? [...parent.ancestors, parent._id] : [];
  if (ancestors.length >= MAX_CATEGORY_DEPTH)
    throw badInput(`The tree may be at most ${MAX_CATEGORY_DEPTH} levels deep.`, { parentId: 'too deep' });
  if (await siblingNameTaken(db, identity.tenantId, parent?._id ?? null, nameKey(v.name))) throw duplicateName();
  const now = new Date();
  const doc: CategoryDocument = {
    _id: randomUUID(),
    tenant_id: identity.tenantId,
    name: v.name,
    name_key: nameKey(v.name),
    description: v.description ?? null,
    parent_id: parent?._id ?? null,
    ancestors,
    position: Number.MAX_SAFE_INTEGER, // last until the renumbering below places it
    active: true,
    archived_at: null,
    created_at: now,
    updated_at: now,
    created_by: identity.userId,
  };
  await categories(db).insertOne(doc).catch(rethrowDuplicateName);
  await reorder(db, identity.tenantId, doc.parent_id, doc._id, v.position ?? Number.MAX_SAFE_INTEGER);
  return (await categories(db).findOne({ _id: doc._id }))!;
}

/** Renames a category or changes its description. */
export async function updateCategory(db: Db, identity: Identity, id: string, input: UpdateCategoryInput): Promise<CategoryDocument> {
  tenantAdministrator(identity);
  const category = await activeCategory(db, identity, id);
  const v = parseInput(updateSchema, input);
  const set: Partial<CategoryDocument> = { updated_at: new Date() };
  if (v.name != null) {
    if (await siblingNameTaken(db, identity.tenantId, category.parent_id, nameKey(v.name), category._id)) throw duplicateName();
    Object.assign(set, { name: v.name, name_key: nameKey(v.name) });
  }
  if (v.description !== undefined) set.description = v.description ?? null;
  await categories(db).updateOne({ _id: category._id }, { $set: set }).catch(rethrowDuplicateName);
  return (await categories(db).findOne({ _id: category._id }))!;
}

/**
 * Moves a category (with everything below it) under another parent (null: to the roots) and/or to
 * another place among its siblings (`position`, 0-based; left out: last). A parent that is the
 * category itself or lies below it would make a cycle: BAD_USER_INPUT.
 */
export async function moveCategory(
  db: Db,
  identity: Identity,
  id: string,
  parentId: string | null | undefined,
  at: number | null | undefined,
): Promise<CategoryDocument> {
  tenantAdministrator(identity);
  const category = await activeCategory(db, identity, id);
  const place = at == null ? null : parseInput(z.object({ position }), { position: at }).position;
  const targetId = parentId === undefined ? category.parent_id : parentId ? uuidArg(parentId, 'parentId')! : null;
  if (targetId === category._id) throw badInput('A category cannot be its own parent.', { parentId: 'is the category itself' });
  const parent = targetId ? await activeCategory(db, identity, targetId, 'parentId') : null;
  if (parent?.ancestors.includes(category._id))
    throw badInput('A category cannot move below itself.', { parentId: 'is below the category (it would make a cycle)' });
  const ancestors = parent ? [...parent.ancestors, parent._id] : [];
  const reparented = (parent?._id ?? null) !== category.parent_id;
  if (reparented) {
    if (ancestors.length + (await subtreeHeight(db, category)) > MAX_CATEGORY_DEPTH)
      throw badInput(`The tree may be at most ${MAX_CATEGORY_DEPTH} levels deep.`, { parentId: 'too deep' });
    if (await siblingNameTaken(db, identity.tenantId, parent?._id ?? null, category.name_key, category._id)) throw duplicateName();
    await categories(db)
      .updateOne({ _id: category._id }, { $set: { parent_id: parent?._id ?? null, ancestors, updated_at: new Date() } })
      .catch(rethrowDuplicateName);
    // The subtree's ancestors: the new line above the category, then what lay between it and each one.
    const below = await categories(db).find({ tenant_id: category.tenant_id, ancestors: category._id }).toArray();
    if (below.length)
      await categories(db).bulkWrite(
        below.map((d) => ({
          updateOne: {
            filter: { _id: d._id },
            update: { $set: { ancestors: [...ancestors, ...d.ancestors.slice(d.ancestors.indexOf(category._id))] } },
          },
        })),
      );
    await reorder(db, identity.tenantId, category.parent_id, category._id, null);
  }
  await reorder(
    db,
    identity.tenantId,
    parent?._id ?? null,
    category._id,
    place ?? (reparented ? Number.MAX_SAFE_INTEGER : category.position),
  );
  return (await categories(db).findOne({ _id: category._id }))!;
}

/** Archives a category without active children (CONFLICT IN_USE otherwise; already archived: ALREADY_IN_STATE). */
export async function archiveCategory(db: Db, identity: Identity, id: string): Promise<CategoryDocument> {
  tenantAdministrator(identity);
  const category = await categories(db).findOne({ _id: uuidArg(id, 'id')!, tenant_id: identity.tenantId });
  if (!category) throw notFound('The category');
  if (!category.active) throw conflict('The category is already archived.', { reason: 'ALREADY_IN_STATE' });
  const children = await categories(db).countDocuments({ tenant_id: category.tenant_id, parent_id: category._id, active: true });
  if (children > 0)
    throw conflict('The category has active subcategories; move or archive them first.', {
      reason: 'IN_USE',
      dependents: [{ what: 'categories', count: children }],
    });
  const now = new Date();
  await categories(db).updateOne({ _id: category._id }, { $set: { active: false, archived_at: now, updated_at: now } });
  await reorder(db, identity.tenantId, category.parent_id, category._id, null);
  return (await categories(db).findOne({ _id: category._id }))!;
}

/** The item of `kind`, as the caller may see it (NOT_FOUND otherwise). */
async function visibleContent(read: Read, identity: Identity, kind: CategoryItemKind, id: string) {
  if (kind !== 'course') return read((tx) => visibleItem(tx, identity, kind, id));
  const courseId = uuidArg(id, 'id')!;
  const course = await read((tx) =>
    tx.course.findFirst({
      where: { AND: [{ id: courseId }, { deletedAt: null }, courseAccess.where(identity)] },
      select: { id: true, tenantId: true },
    }),
  );
  if (!course) throw notFound('The course');
  return course;
}

/** Places an item the caller may see in an active category of its tenant; `created` is false when it already was there. */
export async function assignToCategory(read: Read, db: Db, identity: Identity, categoryId: string, kind: CategoryItemKind, id: string) {
  tenantAdministrator(identity);
  const category = await activeCategory(db, identity, categoryId, 'categoryId');
  const item = await visibleContent(read, identity, kind, id);
  if (item.tenantId !== category.tenant_id) throw notFound(kind === 'course' ? 'The course' : 'The item');
  const result = await categoryItems(db)
    .updateOne(
      { category_id: category._id, kind, content_id: item.id },
      {
        $setOnInsert: {
          _id: randomUUID(),
          tenant_id: category.tenant_id,
          category_id: category._id,
          kind,
          content_id: item.id,
          created_at: new Date(),
          created_by: identity.userId,
        },
      },
      { upsert: true },
    )
    .catch((error: unknown) => {
      // Two placements at once: the unique index lets one in; the other finds it there.
      if (error instanceof MongoServerError && error.code === 11000) return { upsertedCount: 0 };
      throw error;
    });
  return { categoryId: category._id, kind, id: item.id, created: result.upsertedCount > 0 };
}

/** Takes an item out of a category (archived ones too); `removed` is false when it was not there. */
export async function unassignFromCategory(db: Db, identity: Identity, categoryId: string, kind: CategoryItemKind, id: string) {
  tenantAdministrator(identity);
  const category = await categories(db).findOne({ _id: uuidArg(categoryId, 'categoryId')!, tenant_id: identity.tenantId });
  if (!category) throw notFound('The category');
  const { deletedCount } = await categoryItems(db).deleteOne({ category_id: category._id, kind, content_id: uuidArg(id, 'id')! });
  return { categoryId: category._id, kind, id, removed: deletedCount > 0 };
}
