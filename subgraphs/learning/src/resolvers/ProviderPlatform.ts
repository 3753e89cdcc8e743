import type { LearningContext } from '../context.ts';
import type { PlatformRow } from '../data/providers.ts';

export const ProviderPlatform = {
  __resolveReference: (ref: { id: string }, ctx: LearningContext) => ctx.loaders.providerPlatform.load(ref.id),
  tenant: (platform: PlatformRow) => ({ __typename: 'Tenant', id: platform.tenantId }),
  facility: (platform: PlatformRow) => (platform.facilityId ? { __typename: 'Facility', id: platform.facilityId } : null),
};
