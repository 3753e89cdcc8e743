import type { LearningContext } from '../context.ts';
import type { SyncTaskResolvers } from '../generated/graphql.ts';

export const SyncTask: SyncTaskResolvers = {
  __resolveReference: (ref, ctx: LearningContext) => ctx.loaders.syncTask.load(ref.id),
  providerPlatform: (task, _, ctx) => ctx.loaders.providerPlatform.load(task.providerPlatformId),
  counts: (task) => task.result,
  requestedBy: (task) => (task.requestedBy ? { id: task.requestedBy } : null),
};
