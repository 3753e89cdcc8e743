import { toConnection, type PageArgs } from '@pathway/kit';
import type { CampusContext } from '../context.ts';
import { multiClassEnrollments } from '../data/conflicts.ts';
import { overlaps } from '../schedule.ts';
import { occurrencesOfClass, type RangeArgs } from './occurrences.ts';
import { listClasses, type ProgramClassFilter, type ProgramClassSortField } from '../data/classes.ts';
import { listFacilities, type FacilityFilter } from '../data/facilities.ts';
import { listPrograms, type ProgramFilter } from '../data/programs.ts';
import { reportQueries } from './reports.ts';

interface ListArgs<F> extends PageArgs {
  filter?: F | null;
}
interface ProgramClassesArgs extends ListArgs<ProgramClassFilter> {
  sort?: { field: ProgramClassSortField; direction?: 'ASC' | 'DESC' | null } | null;
}

// Lookups go through the loaders, which only return what the caller may see: outside your reach
// is indistinguishable from not existing.
export const Query = {
  ...reportQueries,
  facility: (_: unknown, { id }: { id: string }, ctx: CampusContext) => ctx.loaders.facility.load(id),
  program: (_: unknown, { id }: { id: string }, ctx: CampusContext) => ctx.loaders.program.load(id),
  programClass: (_: unknown, { id }: { id: string }, ctx: CampusContext) => ctx.loaders.programClass.load(id),
  classEnrollment: (_: unknown, { id }: { id: string }, ctx: CampusContext) => ctx.loaders.enrollment.load(id),

  async facilities(_: unknown, args: ListArgs<FacilityFilter>, ctx: CampusContext) {
    const { rows, query, sortField } = await ctx.db.run((tx) => listFacilities(tx, ctx.identity!, args.filter ?? {}, args));
    for (const row of rows) ctx.loaders.facility.prime(row.id, row);
    return toConnection(rows, query, sortField);
  },

  async programs(_: unknown, args: ListArgs<ProgramFilter>, ctx: CampusContext) {
    const { rows, query, sortField } = await ctx.db.run((tx) => listPrograms(tx, ctx.identity!, args.filter ?? {}, args));
    for (const row of rows) ctx.loaders.program.prime(row.id, row);
    return toConnection(rows, query, sortField);
  },

  async programClasses(_: unknown, args: ProgramClassesArgs, ctx: CampusContext) {
    const sort = { field: args.sort?.field ?? 'START_DT', direction: args.sort?.direction ?? 'ASC' } as const;
    const { rows, query, sortField } = await ctx.db.run((tx) => listClasses(tx, ctx.identity!, args.filter ?? {}, args, sort));
    for (const row of rows) ctx.loaders.programClass.prime(row.id, row);
    return toConnection(rows, query, sortField);
  },

  /** Overlapping occurrences of two classes one person is enrolled in; each class expanded once. */
  async scheduleConflicts(_: unknown, args: RangeArgs & { facilityId?: string | null }, ctx: CampusContext) {
    const people = await ctx.db.run((tx) => multiClassEnrollments(tx, ctx.identity!, args.facilityId));
    const classIds = [...new Set(people.flatMap(([, ids]) => ids))];
    const perClass = new Map(await Promise.all(classIds.map(async (id) => [id, await occurrencesOfClass(id, args, ctx)] as const)));
    return people.flatMap(([userId, ids]) =>
      overlaps(ids.flatMap((id) => perClass.get(id) ?? [])).map(([first, second]) => ({
        user: { __typename: 'User', id: userId },
        first,
        second,
      })),
    );
  },
};
