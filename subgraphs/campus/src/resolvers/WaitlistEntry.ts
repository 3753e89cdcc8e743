import type { WaitlistEntryResolvers } from '../generated/graphql.ts';

export const WaitlistEntry: WaitlistEntryResolvers = {
  class: (e, _, ctx) => ctx.loaders.programClass.load(e.classId),
  user: (e) => ({ id: e.userId }),
  position: (e, _, ctx) => (e.status === 'Waiting' ? ctx.loaders.management.position.load(e.id) : null),
};
