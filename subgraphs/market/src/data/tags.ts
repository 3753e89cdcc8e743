import { badInput, pageQuery, tenantFilter, type Identity, type PageArgs } from '@pathway/kit';
import type { Prisma, Tag, TaggedItemType } from '../generated/prisma/client.ts';
import { likeText } from './property-search.ts';

type Tx = Prisma.TransactionClient;

// Tag references live only in Postgres (`entity_tags`), for every kind of item, also those whose
// documents are in MongoDB: one store, so a tag can never be on a document in one place and off it
// in another. A list filtered by tags asks here for the ids first and ANDs `id in (…)` into its own
// query (Prisma or Mongo); the item's own access filter still decides what the caller sees.

export const TAG_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_FILTER_TAGS = 10;

/** A tag as an item carries it. */
export type ItemTag = Tag & { entityId: string };

/** The tags filter checked: null when there is none (no restriction), else the distinct slugs. */
export function tagSlugs(tags: readonly string[] | null | undefined): string[] | null {
  if (tags == null) return null;
  const slugs = [...new Set(tags.map((t) => t.trim().toLowerCase()))];
  if (slugs.length === 0) return null;
  if (slugs.length > MAX_FILTER_TAGS) throw badInput(`Filter by at most ${MAX_FILTER_TAGS} tags.`, { tags: `at most ${MAX_FILTER_TAGS}` });
  const bad = slugs.find((s) => !TAG_SLUG.test(s) || s.length > 60);
  if (bad !== undefined)
    throw badInput('A tag in the filter is not a slug.', { tags: `"${bad}" is not a slug (lowercase letters, digits, hyphens)` });
  return slugs;
}

/**
 * The ids of the items of `itemType` that carry every one of `slugs`, within the caller's tenant
 * (RLS, and the tenant filter for clarity); null when there is no tag filter.
 */
export async function idsWithAllTags(
  tx: Tx,
  identity: Identity,
  itemType: TaggedItemType,
  slugs: string[] | null,
): Promise<string[] | null> {
  if (!slugs) return null;
  const groups = await tx.entityTag.groupBy({
    by: ['entityId'],
    where: { ...tenantFilter(identity), entityType: itemType, tag: { slug: { in: slugs } } },
    having: { tagId: { _count: { equals: slugs.length } } },
  });
  return groups.map((g) => g.entityId);
}

/** The tags of many items of one kind, by slug (the items' own rules decided who reads them). */
export async function tagsOfItems(tx: Tx, itemType: TaggedItemType, ids: readonly string[]): Promise<ItemTag[]> {
  const rows = await tx.entityTag.findMany({
    where: { entityType: itemType, entityId: { in: [...ids] } },
    include: { tag: true },
    orderBy: { tag: { slug: 'asc' } },
  });
  return rows.map((row) => ({ ...row.tag, entityId: row.entityId }));
}

export interface TagListFilter {
  category?: string | null;
  search?: string | null;
}

/** One page (by slug) of the tenant's tags. */
export async function listTags(tx: Tx, identity: Identity, filter: TagListFilter, page: PageArgs) {
  const query = pageQuery(page, 'slug', 'asc');
  const search = filter.search?.trim() ? likeText(filter.search.trim()) : null;
  const where: Prisma.TagWhereInput[] = [
    tenantFilter(identity),
    filter.category ? { category: filter.category } : {},
    search ? { OR: [{ slug: { contains: search, mode: 'insensitive' } }, { name: { contains: search, mode: 'insensitive' } }] } : {},
    query.where as Prisma.TagWhereInput,
  ];
  const rows = await tx.tag.findMany({ where: { AND: where }, orderBy: query.orderBy, take: query.take });
  return { rows, take: query.take };
}

export function findTagsByIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.tag.findMany({ where: { ...tenantFilter(identity), id: { in: [...ids] } } });
}
