import type { MutationResolvers } from '../generated/graphql.ts';
import { addFavorite, removeFavorite, setVisibility } from '../writes/content-visibility.ts';
import { scrapeKiwix } from '../writes/kiwix.ts';
import { requestContent, resolveContentRequest } from '../writes/content-requests.ts';
import {
  addHelpfulLink,
  addVideo,
  createContentProvider,
  lockContentProvider,
  removeHelpfulLink,
  retryVideo,
  updateContentProvider,
  updateHelpfulLink,
} from '../writes/open-content.ts';

// Each mutation is one transaction (the logic is in writes/); payloads read the row back as the caller may see it.
export const OpenContentMutation: MutationResolvers = {
  async createOpenContentProvider(_, { input }, ctx) {
    const row = await ctx.db.run((tx) => createContentProvider(tx, ctx.identity, ctx.providers, input));
    return { openContentProviderId: row.id, openContentProvider: row };
  },

  async updateOpenContentProvider(_, { id, input }, ctx) {
    const row = await ctx.db.run((tx) => updateContentProvider(tx, ctx.identity, ctx.providers, id, input));
    return { openContentProviderId: row.id, openContentProvider: row };
  },

  async syncOpenContentProvider(_, { id }, ctx) {
    // The provider is checked in one transaction, the catalog read outside any, the libraries written in another.
    const provider = await ctx.db.run((tx) => lockContentProvider(tx, ctx.identity, id));
    const result = await scrapeKiwix((fn) => ctx.db.run(fn), provider, ctx.providers);
    const openContentProvider = await ctx.loaders.openContentProvider.clear(provider.id).load(provider.id);
    return { openContentProviderId: provider.id, openContentProvider, ...result };
  },

  async addHelpfulLink(_, { input }, ctx) {
    const row = await ctx.db.run((tx) => addHelpfulLink(tx, ctx.identity, ctx.references, input));
    return { helpfulLinkId: row.id, helpfulLink: await ctx.loaders.helpfulLink.load(row.id) };
  },

  async updateHelpfulLink(_, { id, input }, ctx) {
    const row = await ctx.db.run((tx) => updateHelpfulLink(tx, ctx.identity, id, input));
    ctx.loaders.helpfulLink.clear(row.id);
    return { helpfulLinkId: row.id, helpfulLink: await ctx.loaders.helpfulLink.load(row.id) };
  },

  async removeHelpfulLink(_, { id }, ctx) {
    const row = await ctx.db.run((tx) => removeHelpfulLink(tx, ctx.identity, id));
    return { helpfulLinkId: row.id };
  },

  async addVideo(_, { input }, ctx) {
    const row = await ctx.db.run((tx) => addVideo(tx, ctx.identity, ctx.references, input));
    // After commit: the job finds its row (a lost job is made up by the periodic retry, jobs.ts).
    await ctx.jobs.add('content.video.metadata', { videoId: row.id });
    return { videoId: row.id, video: await ctx.loaders.video.load(row.id) };
  },

  async retryVideo(_, { id }, ctx) {
    const row = await ctx.db.run((tx) => retryVideo(tx, ctx.identity, id));
    await ctx.jobs.add('content.video.metadata', { videoId: row.id });
    ctx.loaders.video.clear(row.id);
    return { videoId: row.id, video: await ctx.loaders.video.load(row.id) };
  },

  setOpenContentVisibility: (_, { kind, id, facilityId, visible }, ctx) =>
    ctx.db.run((tx) => setVisibility(tx, ctx.identity, ctx.references, kind, id, facilityId, visible)),

  favoriteOpenContent: (_, { kind, id }, ctx) => ctx.db.run((tx) => addFavorite(tx, ctx.identity, kind, id)),

  unfavoriteOpenContent: (_, { kind, id }, ctx) => ctx.db.run((tx) => removeFavorite(tx, ctx.identity, kind, id)),

  async requestContent(_, { input }, ctx) {
    const row = await ctx.db.run((tx) => requestContent(tx, ctx.identity, ctx.events, input));
    return { contentRequestId: row.id, contentRequest: row };
  },

  async resolveContentRequest(_, { id, status, note }, ctx) {
    const row = await ctx.db.run((tx) => resolveContentRequest(tx, ctx.identity, ctx.events, id, status, note));
    return { contentRequestId: row.id, contentRequest: row };
  },
};
