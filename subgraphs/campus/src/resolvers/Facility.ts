import { toConnection } from '@pathway/kit';
import type { CampusContext } from '../context.ts';
import { listClasses } from '../data/classes.ts';
import { listPrograms } from '../data/programs.ts';
import type { FacilityResolvers } from '../generated/graphql.ts';
import { closuresOfFacilities } from '../data/rooms.ts';
import { withRate } from './occurrences.ts';

export const Facility: FacilityResolvers = {
  __resolveReference: (ref, ctx: CampusContext) => ctx.loaders.facility.load(ref.id),

  async programs(facility, args, ctx) {
    const filter = { facilityId: facility.id, search: args.search, isActive: args.isActive };
    const { rows, query, sortField } = await ctx.db.read((tx) => listPrograms(tx, ctx.identity, filter, args));
    for (const row of rows) ctx.loaders.program.prime(row.id, row);
    return toConnection(rows, query, sortField);
  },

  /** The dashboard's list: one query for the page; enrollments and rates below batch across classes. */
  async classes(facility, args, ctx) {
    const filter = { facilityId: facility.id, status: args.status };
    const { rows, query, sortField } = await ctx.db.read((tx) =>
      listClasses(tx, ctx.identity, filter, args, { field: 'START_DT', direction: 'ASC' }),
    );
    for (const row of rows) ctx.loaders.programClass.prime(row.id, row);
    return toConnection(rows, query, sortField);
  },

  attendanceRate: async (f, { from, to }, ctx) => withRate(await ctx.loaders.rates('facilityId', from, to).load(f.id)),
  rooms: (f, args, ctx) =>
    ctx.loaders.management.roomsOfFacility.load({
      key: f.id,
      page: { first: args.first, after: args.after },
      filter: !!args.includeArchived,
    }),
  history: (f, args, ctx) =>
    ctx.loaders.management.catalogChanges.load({ key: f.id, page: { first: args.first, after: args.after }, filter: null }),
  closures: (f, { from, to }, ctx) => ctx.db.read((tx) => closuresOfFacilities(tx, ctx.identity, [f.id], from, to)),
};
