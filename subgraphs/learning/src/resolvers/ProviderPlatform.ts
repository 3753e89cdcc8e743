import type { LearningContext } from '../context.ts';
import type { ProviderPlatformResolvers } from '../generated/graphql.ts';

export const ProviderPlatform: ProviderPlatformResolvers = {
  __resolveReference: (ref, ctx: LearningContext) => ctx.loaders.providerPlatform.load(ref.id),
  tenant: (platform) => ({ __typename: 'Tenant', id: platform.tenantId }),
  facility: (platform) => (platform.facilityId ? { __typename: 'Facility', id: platform.facilityId } : null),
};
