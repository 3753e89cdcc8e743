import type { ProviderPlatformChangeResolvers } from '../generated/graphql.ts';

export const ProviderPlatformChange: ProviderPlatformChangeResolvers = {
  actor: (line) => ({ id: line.actorId }),
};
