import type { BehaviorChangeResolvers } from '../generated/graphql.ts';

export const BehaviorChange: BehaviorChangeResolvers = {
  actor: (c) => ({ id: c.actorId }),
};
