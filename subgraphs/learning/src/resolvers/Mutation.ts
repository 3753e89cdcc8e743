import type { MutationResolvers } from '../generated/graphql.ts';
import type { ResolverContext } from '../context.ts';
import type { PlatformRow } from '../data/providers.ts';
import { platformToCall, testConnection } from '../writes/connection.ts';
import { ignoreMapping, linkMapping, lockMapping } from '../writes/mappings.ts';
import { cancelSync, requestSync } from '../writes/tasks.ts';
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
    const created = await ctx.db.run((tx) => registerPlatform(tx, ctx.identity, ctx.providers, ctx.references, input));
    return answer(ctx, created);
  },

  async updateProviderPlatform(_, { id, input }, ctx) {
    const updated = await ctx.db.run((tx) => updatePlatform(tx, ctx.identity, ctx.providers, ctx.references, id, input));
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

  async syncProviderPlatform(_, { id }, ctx) {
    const task = await ctx.db.run((tx) => requestSync(tx, ctx.identity, id, ctx.identity.userId));
    // After commit: the job finds its row. A job lost here is added again at the next start (jobs.ts).
    await ctx.jobs.add('provider.sync', { taskId: task.id });
    return { taskId: task.id, task: await ctx.loaders.syncTask.load(task.id) };
  },

  async cancelSyncTask(_, { id }, ctx) {
    const task = await ctx.db.run((tx) => cancelSync(tx, ctx.identity, id));
    ctx.loaders.syncTask.clear(task.id);
    return { taskId: task.id, task: await ctx.loaders.syncTask.load(task.id) };
  },

  async linkProviderUser(_, { mappingId, userId }, ctx) {
    // Who the person is comes from identity, outside the transaction; the write checks it again under the lock.
    const mapping = await ctx.db.run((tx) => lockMapping(tx, ctx.identity, mappingId));
    const person = await ctx.directory.person(mapping.tenantId, userId);
    const linked = await ctx.db.run((tx) => linkMapping(tx, ctx.identity, mappingId, userId, person));
    return { mappingId: linked.id, mapping: linked };
  },

  async ignoreProviderUser(_, { mappingId }, ctx) {
    const ignored = await ctx.db.run((tx) => ignoreMapping(tx, ctx.identity, mappingId));
    return { mappingId: ignored.id, mapping: ignored };
  },

  async archiveProviderPlatform(_, { id, reason }, ctx) {
    const { updated } = await ctx.db.run((tx) => archivePlatform(tx, ctx.identity, id, reason));
    return answer(ctx, updated);
  },
};
