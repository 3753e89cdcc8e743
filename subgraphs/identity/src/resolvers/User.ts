import type { IdentityContext } from '../context.ts';
import type { UserResolvers } from '../generated/graphql.ts';

export const User: UserResolvers = {
  // Federation resolves references before field rules run: the context may be anonymous. Out of reach: null.
  __resolveReference: (ref, ctx: IdentityContext) => ctx.loaders.user.load(ref.id),
  displayName: (user) => `${user.firstName} ${user.lastName}`,
  residentNumber: (user) => user.docId,
  tenant: (user, _, ctx) => ctx.loaders.tenant.load(user.tenantId),
  facility: (user) => (user.homeFacilityId ? { __typename: 'Facility', id: user.homeFacilityId } : null),
  roles: async (user, _, ctx) => (await ctx.loaders.rolesOfUser.load(user.id)).map((r) => r.role.name).sort(),
  lockedUntil: (user) => (user.lockedUntil && user.lockedUntil > new Date() ? user.lockedUntil : null),
  profile: (user, _, ctx) => ctx.loaders.profile.load(user.id),
  preferences: (user, _, ctx) => ctx.loaders.preferencesOfUser.load(user.id),
  extensions: (user, _, ctx) => ctx.loaders.extensionsOfUser.load(user.id),
  subscriptions: (user, _, ctx) => ctx.loaders.subscriptionsOfUser.load(user.id),
  sessions: (user, _, ctx) => ctx.loaders.sessionsOfUser.load(user.id),
  accountHistory: (user, page, ctx) => ctx.loaders.historyOfUser.load({ key: user.id, page, filter: null }),
};
