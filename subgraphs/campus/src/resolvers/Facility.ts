import { toConnection, type PageArgs } from '@pathway/kit';
import type { CampusContext } from '../context.ts';
import { listClasses } from '../data/classes.ts';
import { listPrograms } from '../data/programs.ts';
import type { ClassStatus, Facility as FacilityRow } from '../generated/prisma/client.ts';
import { withRate, type RangeArgs } from './occurrences.ts';

interface ProgramsArgs extends PageArgs {
  search?: string | null;
  isActive?: boolean | null;
}

export const Facility = {
  __resolveReference: (ref: { id: string }, ctx: CampusContext) => ctx.loaders.facility.load(ref.id),

  async programs(facility: FacilityRow, args: ProgramsArgs, ctx: CampusContext) {
    const filter = { facilityId: facility.id, search: args.search, isActive: args.isActive };
    const { rows, query, sortField } = await ctx.db.run((tx) => listPrograms(tx, ctx.identity!, filter, args));
    for (const row of rows) ctx.loaders.program.prime(row.id, row);
    return toConnection(rows, query, sortField);
  },

  /** The dashboard's list: one query for the page; enrollments and rates below batch across classes. */
  async classes(facility: FacilityRow, args: PageArgs & { status?: ClassStatus | null }, ctx: CampusContext) {
    const filter = { facilityId: facility.id, status: args.status };
    const { rows, query, sortField } = await ctx.db.run((tx) =>
      listClasses(tx, ctx.identity!, filter, args, { field: 'START_DT', direction: 'ASC' }),
    );
    for (const row of rows) ctx.loaders.programClass.prime(row.id, row);
    return toConnection(rows, query, sortField);
  },

  attendanceRate: async (f: FacilityRow, { from, to }: RangeArgs, ctx: CampusContext) =>
    withRate(await ctx.loaders.rates('facilityId', from, to).load(f.id)),
};
