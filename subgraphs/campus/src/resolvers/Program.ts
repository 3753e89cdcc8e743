import type { CampusContext } from '../context.ts';
import type { ProgramResolvers } from '../generated/graphql.ts';
import { ProgramType } from '../generated/prisma/client.ts';
import { offeringFacilities } from '../data/programs.ts';
import { withRate } from './occurrences.ts';

const typeOrder: string[] = Object.values(ProgramType);

export const Program: ProgramResolvers = {
  __resolveReference: (ref, ctx: CampusContext) => ctx.loaders.program.load(ref.id),
  // Prisma already maps 'Re-Entry' ↔ Re_Entry, so the GraphQL enum names are the client's values.
  programTypes: (program) => program.types.map((t) => t.programType).sort((a, b) => typeOrder.indexOf(a) - typeOrder.indexOf(b)),
  attendanceRate: async (p, { from, to }, ctx) => withRate(await ctx.loaders.rates('programId', from, to).load(p.id)),
  facilities: (p, _, ctx) => ctx.db.read((tx) => offeringFacilities(tx, ctx.identity, p.id)),
  history: (p, args, ctx) =>
    ctx.loaders.management.catalogChanges.load({ key: p.id, page: { first: args.first, after: args.after }, filter: null }),
  stats: (p, _, ctx) => ctx.loaders.management.programCounts.load(p.id),
};
