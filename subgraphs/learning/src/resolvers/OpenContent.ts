import type {
  ContentRequestResolvers,
  HelpfulLinkResolvers,
  LearningSearchEdgeResolvers,
  LearningSearchResultResolvers,
  LibraryResolvers,
  OpenContentFavoriteResolvers,
  VideoResolvers,
} from '../generated/graphql.ts';
import type { ResolverContext } from '../context.ts';
import { asSearchResult } from '../data/search.ts';
import { itemUsage } from '../data/content-activity.ts';

// Libraries, videos and links share their per-caller fields: favorite or not, where visible, the provider.
const itemFields = {
  provider: (row: { openContentProviderId: string | null }, _: unknown, ctx: ResolverContext) =>
    row.openContentProviderId ? ctx.loaders.openContentProvider.load(row.openContentProviderId) : null,
  isFavorite: (row: { id: string }, _: unknown, ctx: ResolverContext) => ctx.loaders.isFavorite.load(row.id),
  visibleFacilities: async (row: { id: string }, _: unknown, ctx: ResolverContext) =>
    (await ctx.loaders.visibilityOfItem.load(row.id)).map((v) => ({ id: v.facilityId })),
};

export const Library: LibraryResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.library.load(ref.id),
  ...itemFields,
  async usage(library, args, ctx) {
    const { rows } = await itemUsage(ctx.mongo, ctx.identity, { ...args, kind: 'library', contentId: library.id, first: 1 });
    return (
      rows[0] ?? {
        id: `library:${library.id}`,
        kind: 'library',
        contentId: library.id,
        people: 0,
        sessions: 0,
        totalSeconds: 0,
        lastOpenedAt: null,
        byMonth: [],
      }
    );
  },
};

export const Video: VideoResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.video.load(ref.id),
  ...itemFields,
};

export const HelpfulLink: HelpfulLinkResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.helpfulLink.load(ref.id),
  ...itemFields,
};

export const OpenContentFavorite: OpenContentFavoriteResolvers = {
  kind: (row) => (row.libraryId ? 'library' : row.videoId ? 'video' : 'helpful_link'),
  library: (row, _, ctx) => (row.libraryId ? ctx.loaders.library.load(row.libraryId) : null),
  video: (row, _, ctx) => (row.videoId ? ctx.loaders.video.load(row.videoId) : null),
  helpfulLink: (row, _, ctx) => (row.helpfulLinkId ? ctx.loaders.helpfulLink.load(row.helpfulLinkId) : null),
};

export const ContentRequest: ContentRequestResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.contentRequest.load(ref.id),
  requester: (row) => ({ id: row.userId }),
  facility: (row) => (row.facilityId ? { id: row.facilityId } : null),
  resolvedBy: (row) => (row.resolvedBy ? { id: row.resolvedBy } : null),
};

export const LearningSearchEdge: LearningSearchEdgeResolvers = {
  node: (hit) => asSearchResult(hit),
};

export const LearningSearchResult: LearningSearchResultResolvers = {
  __resolveType: (row) => row.__typename,
};
