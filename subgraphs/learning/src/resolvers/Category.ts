import { uuidArg, type PageArgs } from '@pathway/kit';
import type { CategoryResolvers, CategoryItemEdgeResolvers, MutationResolvers, QueryResolvers } from '../generated/graphql.ts';
import type { ResolverContext } from '../context.ts';
import type { LearningSearchResultMapper } from '../mappers.ts';
import type { CategoryDocument } from '../access.ts';
import { contentIdsInCategory, listCategories, listCategoryItems, type CategoryItemKind } from '../data/categories.ts';
import {
  archiveCategory,
  assignToCategory,
  createCategory,
  moveCategory,
  unassignFromCategory,
  updateCategory,
} from '../writes/categories.ts';
import { encodeCursor } from '@pathway/kit';

/** A list filter with `categoryId` resolved to the ids placed in that category or below it (MongoDB). */
export async function withCategory<F extends { categoryId?: string | null }>(ctx: ResolverContext, filter: F, kind: CategoryItemKind) {
  const categoryId = uuidArg(filter.categoryId, 'categoryId');
  return categoryId ? { ...filter, ids: await contentIdsInCategory(ctx.mongo, ctx.identity, categoryId, kind) } : filter;
}

const TYPENAME = { course: 'Course', library: 'Library', video: 'Video', helpful_link: 'HelpfulLink' } as const;

/** The item as the caller may see it (its own loader and access filter), or null. */
async function loadItem(ctx: ResolverContext, kind: CategoryItemKind, id: string): Promise<LearningSearchResultMapper | null> {
  const row =
    kind === 'course'
      ? await ctx.loaders.course.load(id)
      : kind === 'library'
        ? await ctx.loaders.library.load(id)
        : kind === 'video'
          ? await ctx.loaders.video.load(id)
          : await ctx.loaders.helpfulLink.load(id);
  return row ? ({ ...row, __typename: TYPENAME[kind] } as LearningSearchResultMapper) : null;
}

const children = (ctx: ResolverContext, parentId: string | null, args: PageArgs & { includeArchived?: boolean | null }) =>
  listCategories(ctx.mongo, ctx.identity, parentId, args);

export const CategoryQuery: QueryResolvers = {
  category: (_, { id }, ctx) => ctx.loaders.category.load(id),
  categories: (_, args, ctx) => children(ctx, uuidArg(args.parentId, 'parentId') ?? null, args),
};

const payload = (category: CategoryDocument) => ({ categoryId: category._id, category });

// MongoDB writes (no transaction: see writes/categories.ts); an item placed is checked in Postgres first.
export const CategoryMutation: MutationResolvers = {
  createCategory: async (_, { input }, ctx) => payload(await createCategory(ctx.mongo, ctx.identity, input)),
  updateCategory: async (_, { id, input }, ctx) => payload(await updateCategory(ctx.mongo, ctx.identity, id, input)),
  moveCategory: async (_, { id, parentId, position }, ctx) => payload(await moveCategory(ctx.mongo, ctx.identity, id, parentId, position)),
  archiveCategory: async (_, { id }, ctx) => payload(await archiveCategory(ctx.mongo, ctx.identity, id)),
  assignToCategory: (_, { categoryId, kind, id }, ctx) =>
    assignToCategory((fn) => ctx.db.read(fn), ctx.mongo, ctx.identity, categoryId, kind, id),
  unassignFromCategory: (_, { categoryId, kind, id }, ctx) => unassignFromCategory(ctx.mongo, ctx.identity, categoryId, kind, id),
};

export const Category: CategoryResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.category.load(ref.id),
  id: (doc) => doc._id,
  parent: (doc, _, ctx) => (doc.parent_id ? ctx.loaders.category.load(doc.parent_id) : null),
  children: (doc, args, ctx) => children(ctx, doc._id, args),
  async path(doc, _, ctx) {
    const above = await ctx.loaders.category.loadMany(doc.ancestors);
    return [...above.filter((c): c is CategoryDocument & { id: string } => c != null && !(c instanceof Error)), doc];
  },
  depth: (doc) => doc.ancestors.length + 1,
  archived: (doc) => !doc.active,
  archivedAt: (doc) => doc.archived_at,
  createdAt: (doc) => doc.created_at,
  updatedAt: (doc) => doc.updated_at,
  async items(doc, args, ctx) {
    const { docs, take } = await listCategoryItems(ctx.mongo, doc._id, args);
    const page = docs.slice(0, take - 1);
    const nodes = await Promise.all(page.map((d) => loadItem(ctx, d.kind, d.content_id)));
    // Items the caller may not see are left out (the placement stays for those who may).
    const edges = page.flatMap((d, i) =>
      nodes[i] ? [{ kind: d.kind, node: nodes[i], placedAt: d.created_at, cursor: encodeCursor(d.created_at, d._id) }] : [],
    );
    const last = page.at(-1);
    return {
      edges,
      nodes: edges.map((e) => e.node),
      pageInfo: { hasNextPage: docs.length > page.length, endCursor: last ? encodeCursor(last.created_at, last._id) : null },
    };
  },
};

export const CategoryItemEdge: CategoryItemEdgeResolvers = {};
