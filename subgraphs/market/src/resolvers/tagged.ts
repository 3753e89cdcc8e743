import type { ResolverContext } from '../context.ts';
import type { TaggedItemType } from '../generated/prisma/client.ts';
import { idsWithAllTags, tagSlugs } from '../data/tags.ts';

/** The ids a list's `tags` filter leaves (Postgres holds every tag reference), or null when it has none. */
export async function taggedIds(ctx: ResolverContext, type: TaggedItemType, tags: readonly string[] | null | undefined) {
  const slugs = tagSlugs(tags);
  return slugs ? ctx.db.read((tx) => idsWithAllTags(tx, ctx.identity, type, slugs)) : null;
}
