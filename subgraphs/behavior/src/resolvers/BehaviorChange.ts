import type { BehaviorChangeResolvers } from '../generated/graphql.ts';

export const BehaviorChange: BehaviorChangeResolvers = {
  createdAt: (c) => c.at,
  actor: (c) => ({ id: c.actorId }),
};
