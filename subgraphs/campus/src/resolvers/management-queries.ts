import { DateTime } from 'luxon';
import * as access from '../access.ts';
import { toConnection } from '@pathway/kit';
import { listPrograms, type ProgramRow } from '../data/programs.ts';
import { programCounts } from '../data/program-stats.ts';
import type { QueryResolvers } from '../generated/graphql.ts';
import type { Facility } from '../generated/prisma/client.ts';
import { csv } from './reports.ts';

const MAX_FACILITIES = 100;
const MAX_EXPORT = 1000;
const today = (facility: Facility, date: string | null | undefined) => date ?? DateTime.now().setZone(facility.timezone).toISODate()!;

/** Labels a person reads for the stored enum values (seed 003's). */
const FUNDING: Record<string, string> = {
  Federal_Grants: 'Federal grants',
  State_Grants: 'State grants',
  Nonprofit_Organizations: 'Nonprofit organizations',
  Educational_Grants: 'Educational grants',
  Inmate_Welfare_Funds: 'Inmate welfare funds',
  Other: 'Other',
};
const TYPES: Record<string, string> = {
  Educational: 'Educational',
  Vocational: 'Vocational',
  Mental_Health_Behavioral: 'Mental health / behavioral',
  Religious_Faith_Based: 'Religious / faith-based',
  Re_Entry: 'Re-entry',
  Therapeutic: 'Therapeutic',
  Life_Skills: 'Life skills',
};

export const managementQueries: QueryResolvers = {
  room: (_, { id }, ctx) => ctx.loaders.management.room.load(id),
  waitlistEntry: (_, { id }, ctx) => ctx.loaders.management.waitlistEntry.load(id),

  async facilityDashboard(_, { facilityId, date }, ctx) {
    const facility = await ctx.loaders.facility.load(facilityId);
    return facility ? { facility, date: today(facility, date) } : null;
  },

  async departmentDashboard(_, { date }, ctx) {
    const facilities = await ctx.db.read((tx) =>
      tx.facility.findMany({
        where: { AND: [access.facility.where(ctx.identity), { archivedAt: null }] },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
        take: MAX_FACILITIES,
      }),
    );
    for (const f of facilities) ctx.loaders.facility.prime(f.id, f);
    return { facilities: facilities.map((facility) => ({ facility, date: today(facility, date) })) };
  },

  /** The catalog within reach as CSV: names of facilities and funding/type labels, with outcome counts. */
  async programsExport(_, { filter }, ctx) {
    const { programs, facilities, counts } = await ctx.db.read(async (tx) => {
      // The export walks every page of the list (bounded), with the list's own cursors.
      const all: ProgramRow[] = [];
      let after: string | null = null;
      do {
        const page = await listPrograms(tx, ctx.identity, filter ?? {}, { first: 100, after });
        const connection = toConnection(page.rows, page.query, page.sortField);
        all.push(...connection.nodes);
        after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
      } while (after && all.length < MAX_EXPORT);
      const ids = all.map((p) => p.id);
      const offers = await tx.facilityProgram.findMany({
        where: { programId: { in: ids }, facility: access.facility.where(ctx.identity) },
        select: { programId: true, facility: { select: { name: true } } },
      });
      return { programs: all, facilities: offers, counts: await programCounts(tx, ctx.identity, ids) };
    });
    const rows = programs.map((p) => {
      const c = counts.get(p.id);
      const ended = (c?.completed ?? 0) + (c?.incomplete ?? 0);
      return [
        p.name,
        p.description ?? '',
        p.fundingType ? FUNDING[p.fundingType] : '',
        Object.keys(TYPES)
          .filter((type) => p.types.some((t) => t.programType === type))
          .map((type) => TYPES[type])
          .join('; '),
        facilities
          .filter((f) => f.programId === p.id)
          .map((f) => f.facility.name)
          .sort()
          .join('; '),
        p.archivedAt ? 'Archived' : p.isActive ? 'Active' : 'Inactive',
        c?.enrolled ?? 0,
        c?.completed ?? 0,
        ended ? `${Math.round(((c?.completed ?? 0) / ended) * 100)}%` : '',
      ];
    });
    const header = ['Program', 'Description', 'Funding', 'Types', 'Facilities', 'Status', 'Enrolled', 'Completed', 'Completion rate'];
    return { rows: rows.length, csv: csv(header, rows) };
  },
};
