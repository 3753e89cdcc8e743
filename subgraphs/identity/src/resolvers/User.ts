import type { IdentityContext } from '../context.ts';
import type { User as UserRow } from '../generated/prisma/client.ts';

export const User = {
  __resolveReference: (ref: { id: string }, ctx: IdentityContext) => ctx.loaders.user.load(ref.id),
  displayName: (user: UserRow) => `${user.firstName} ${user.lastName}`,
  residentNumber: (user: UserRow) => user.docId,
  tenant: (user: UserRow, _: unknown, ctx: IdentityContext) => ctx.loaders.tenant.load(user.tenantId),
  facility: (user: UserRow) => (user.homeFacilityId ? { __typename: 'Facility', id: user.homeFacilityId } : null),
  roles: async (user: UserRow, _: unknown, ctx: IdentityContext) => (await ctx.loaders.rolesOfUser.load(user.id)).map((r) => r.role.name).sort(),
};
