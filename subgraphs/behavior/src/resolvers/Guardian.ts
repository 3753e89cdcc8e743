import type { BehaviorContext } from '../context.ts';
import type { Guardian as GuardianRow } from '../generated/prisma/client.ts';

export const Guardian = {
  name: (g: GuardianRow) => `${g.firstName} ${g.lastName}`,
  family: (g: GuardianRow, _: unknown, ctx: BehaviorContext) => ctx.loaders.family.load(g.familyId),
  user: (g: GuardianRow) => (g.userId ? { __typename: 'User', id: g.userId } : null),
};
