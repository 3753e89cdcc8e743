import type { ProviderUserMappingResolvers } from '../generated/graphql.ts';

export const ProviderUserMapping: ProviderUserMappingResolvers = {
  providerPlatform: (mapping, _, ctx) => ctx.loaders.providerPlatform.load(mapping.providerPlatformId),
  user: (mapping) => (mapping.userId ? { id: mapping.userId } : null),
};
