import { primeVisible, toConnection } from '@pathway/kit';
import type { QueryResolvers } from '../generated/graphql.ts';
import { listContentProviders, listContentRequests, listHelpfulLinks, listLibraries, listVideos } from '../data/open-content.ts';
import { asSearchResult, learningSearch } from '../data/search.ts';
import { withCategory } from './Category.ts';

/** Open content's queries (lists AND the entity's access filter in; loaders apply it by id). */
export const OpenContentQuery: QueryResolvers = {
  library: (_, { id }, ctx) => ctx.loaders.library.load(id),
  video: (_, { id }, ctx) => ctx.loaders.video.load(id),
  helpfulLink: (_, { id }, ctx) => ctx.loaders.helpfulLink.load(id),
  contentRequest: (_, { id }, ctx) => ctx.loaders.contentRequest.load(id),

  async openContentProviders(_, args, ctx) {
    const { rows, query } = await ctx.db.read((tx) => listContentProviders(tx, ctx.identity, args));
    return toConnection(rows, query, 'title');
  },

  async libraries(_, args, ctx) {
    const filter = await withCategory(ctx, args.filter ?? {}, 'library');
    const { rows, query } = await ctx.db.read((tx) => listLibraries(tx, ctx.identity, filter, args));
    primeVisible(ctx.loaders.libraryVisible, rows);
    return toConnection(rows, query, 'title');
  },

  async videos(_, args, ctx) {
    const filter = await withCategory(ctx, args.filter ?? {}, 'video');
    const { rows, query } = await ctx.db.read((tx) => listVideos(tx, ctx.identity, filter, args));
    primeVisible(ctx.loaders.videoVisible, rows);
    return toConnection(rows, query, 'title');
  },

  async helpfulLinks(_, args, ctx) {
    const filter = await withCategory(ctx, args.filter ?? {}, 'helpful_link');
    const { rows, query } = await ctx.db.read((tx) => listHelpfulLinks(tx, ctx.identity, filter, args));
    primeVisible(ctx.loaders.helpfulLinkVisible, rows);
    return toConnection(rows, query, 'title');
  },

  async contentRequests(_, args, ctx) {
    const { rows, query } = await ctx.db.read((tx) => listContentRequests(tx, ctx.identity, args.filter ?? {}, args));
    primeVisible(ctx.loaders.contentRequestVisible, rows);
    return toConnection(rows, query, 'createdAt');
  },

  async learningSearch(_, args, ctx) {
    const text = args.search.trim();
    if (!text) return { edges: [], nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
    const { hits, cursorOf, pageInfo } = await ctx.db.read((tx) => learningSearch(tx, ctx.identity, text, args.kinds, args));
    // The row rules of each member type then find their rows already confirmed.
    const confirmed = {
      course: ctx.loaders.courseVisible,
      library: ctx.loaders.libraryVisible,
      video: ctx.loaders.videoVisible,
      helpful_link: ctx.loaders.helpfulLinkVisible,
    };
    for (const hit of hits) primeVisible(confirmed[hit.kind], [hit.row]);
    const edges = hits.map((hit) => ({ ...hit, cursor: cursorOf(hit) }));
    return { edges, nodes: hits.map(asSearchResult), pageInfo };
  },
};
