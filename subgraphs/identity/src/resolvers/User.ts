import type { PageArgs } from '@pathway/kit';
import type { IdentityContext } from '../context.ts';
import type { User as UserRow } from '../generated/prisma/client.ts';

export const User = {
  __resolveReference: (ref: { id: string }, ctx: IdentityContext) => ctx.loaders.user.load(ref.id),
  displayName: (user: UserRow) => `${user.firstName} ${user.lastName}`,
  residentNumber: (user: UserRow) => user.docId,
  tenant: (user: UserRow, _: unknown, ctx: IdentityContext) => ctx.loaders.tenant.load(user.tenantId),
  facility: (user: UserRow) => (user.homeFacilityId ? { __typename: 'Facility', id: user.homeFacilityId } : null),
  roles: async (user: UserRow, _: unknown, ctx: IdentityContext) =>
    (await ctx.loaders.rolesOfUser.load(user.id)).map((r) => r.role.name).sort(),
  lockedUntil: (user: UserRow) => (user.lockedUntil && user.lockedUntil > new Date() ? user.lockedUntil : null),
  profile: (user: UserRow, _: unknown, ctx: IdentityContext) => ctx.loaders.profile.load(user.id),
  preferences: (user: UserRow, _: unknown, ctx: IdentityContext) => ctx.loaders.preferencesOfUser.load(user.id),
  extensions: (user: UserRow, _: unknown, ctx: IdentityContext) => ctx.loaders.extensionsOfUser.load(user.id),
  subscriptions: (user: UserRow, _: unknown, ctx: IdentityContext) => ctx.loaders.subscriptionsOfUser.load(user.id),
  sessions: (user: UserRow, _: unknown, ctx: IdentityContext) => ctx.loaders.sessionsOfUser.load(user.id),
  accountHistory: (user: UserRow, page: PageArgs, ctx: IdentityContext) =>
    ctx.loaders.historyOfUser.load({ key: user.id, page, filter: null }),
};
