import type { MutationResolvers } from '../generated/graphql.ts';
import type { ResolverContext } from '../context.ts';
import type { PlatformRow } from '../data/providers.ts';
import { platformToCall, testConnection } from '../writes/connection.ts';
import { archivePlatform, registerPlatform, setPlatformState, updatePlatform } from '../writes/providers.ts';

/** A changed platform, as the caller may now read it (null when out of their reach), and its id. */
async function answer(ctx: ResolverContext, row: PlatformRow) {
  ctx.loaders.providerPlatform.clear(row.id);
  return { providerPlatformId: row.id, providerPlatform: await ctx.loaders.providerPlatform.load(row.id) };
}

// Each mutation is one transaction (checks, writes and the change log line together: a throw rolls
// all of it back). The logic is in writes/.
export const Mutation: MutationResolvers = {
  async registerProviderPlatform(_, { input }, ctx) {
    const created = await ctx.db.run((tx) => registerPlatform(tx, ctx.identity, ctx.providers, input));
    return answer(ctx, created);
  },

  async updateProviderPlatform(_, { id, input }, ctx) {
    const updated = await ctx.db.run((tx) => updatePlatform(tx, ctx.identity, ctx.providers, id, input));
    return answer(ctx, updated);
  },

  async setProviderPlatformState(_, { id, state, reason }, ctx) {
    const { updated, previousState } = await ctx.db.run((tx) => setPlatformState(tx, ctx.identity, id, state, reason));
    return { ...(await answer(ctx, updated)), previousState };
  },

  async testProviderPlatformConnection(_, { id }, ctx) {
    const platform = await ctx.db.run((tx) => platformToCall(tx, ctx.identity, id));
    return { providerPlatformId: platform.id, ...(await testConnection(platform, ctx.providers)) };
  },

  async archiveProviderPlatform(_, { id, reason }, ctx) {
    const { updated } = await ctx.db.run((tx) => archivePlatform(tx, ctx.identity, id, reason));
    return answer(ctx, updated);
  },
};
