import type { GuardianResolvers } from '../generated/graphql.ts';

export const Guardian: GuardianResolvers = {
  name: (g) => `${g.firstName} ${g.lastName}`,
  family: (g, _, ctx) => ctx.loaders.family.load(g.familyId),
  user: (g) => (g.userId ? { id: g.userId } : null),
};
