import type { CampusContext } from '../context.ts';
import type { ProgramRow } from '../data/programs.ts';
import { ProgramType } from '../generated/prisma/client.ts';
import { withRate, type RangeArgs } from './occurrences.ts';

const typeOrder: string[] = Object.values(ProgramType);

export const Program = {
  __resolveReference: (ref: { id: string }, ctx: CampusContext) => ctx.loaders.program.load(ref.id),
  // Prisma already maps 'Re-Entry' ↔ Re_Entry, so the GraphQL enum names are the client's values.
  programTypes: (program: ProgramRow) =>
    program.types.map((t) => t.programType).sort((a, b) => typeOrder.indexOf(a) - typeOrder.indexOf(b)),
  attendanceRate: async (p: ProgramRow, { from, to }: RangeArgs, ctx: CampusContext) =>
    withRate(await ctx.loaders.rates('programId', from, to).load(p.id)),
};
