import type { PageArgs } from '@pathway/kit';
import type { BehaviorContext } from '../context.ts';
import type { Family as FamilyRow } from '../generated/prisma/client.ts';
import { pageInMemory } from '@pathway/kit';

export const Family = {
  __resolveReference: (ref: { id: string }, ctx: BehaviorContext) => ctx.loaders.family.load(ref.id),
  // Only the students the caller may see (a staff member: those assigned to them).
  students: async (f: FamilyRow, args: PageArgs, ctx: BehaviorContext) =>
    pageInMemory(await ctx.loaders.visibleStudentsOfFamily.load(f.id), args),
  // Seeing the family means being its guardian or a family reader in reach; contact fields are guarded per field.
  guardians: async (f: FamilyRow, args: PageArgs, ctx: BehaviorContext) =>
    pageInMemory(await ctx.loaders.guardiansOfFamily.load(f.id), args),
};
