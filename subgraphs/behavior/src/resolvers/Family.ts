import { pageInMemory } from '@pathway/kit';
import type { BehaviorContext } from '../context.ts';
import type { FamilyResolvers } from '../generated/graphql.ts';

export const Family: FamilyResolvers = {
  __resolveReference: (ref, ctx: BehaviorContext) => ctx.loaders.family.load(ref.id),
  // Only the students the caller may see (a staff member: those assigned to them).
  students: async (f, args, ctx) => pageInMemory(await ctx.loaders.visibleStudentsOfFamily.load(f.id), args),
  // Whoever sees the family sees its guardians' names; contact fields are guarded per field.
  guardians: async (f, args, ctx) => pageInMemory(await ctx.loaders.visibleGuardiansOfFamily.load(f.id), args),
  facility: (f) => (f.facilityId ? { id: f.facilityId } : null),
  changeLog: (f, args, ctx) =>
    ctx.loaders.changesOfFamily.load({ key: f.id, page: { first: args.first, after: args.after }, filter: null }),
};
