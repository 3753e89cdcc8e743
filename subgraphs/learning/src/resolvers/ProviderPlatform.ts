import type { LearningContext } from '../context.ts';
import type { ProviderPlatformResolvers } from '../generated/graphql.ts';
import { nextOccurrence } from '../sync/schedule.ts';

export const ProviderPlatform: ProviderPlatformResolvers = {
  __resolveReference: (ref, ctx: LearningContext) => ctx.loaders.providerPlatform.load(ref.id),
  tenant: (platform) => ({ __typename: 'Tenant', id: platform.tenantId }),
  facility: (platform) => (platform.facilityId ? { __typename: 'Facility', id: platform.facilityId } : null),
  // The credential itself is never read by the API; whether one is stored is its set time.
  hasCredentials: (platform) => platform.credentialsSetAt != null,
  availableFacilities: async (platform, _, ctx) =>
    (await ctx.loaders.availabilityOfPlatform.load(platform.id)).map((row) => ({ __typename: 'Facility' as const, id: row.facilityId })),
  nextScheduledSyncAt: (platform) =>
    platform.syncSchedule && platform.state === 'enabled' ? nextOccurrence(platform.syncSchedule, platform.syncTimezone, new Date()) : null,
  changeLog: (platform, args, ctx) =>
    ctx.loaders.changesOfPlatform.load({ key: platform.id, page: { first: args.first, after: args.after }, filter: null }),
};
