import { toConnection } from '@pathway/kit';
import { listClasses } from '../data/classes.ts';
import { multiClassEnrollments } from '../data/conflicts.ts';
import { listFacilities } from '../data/facilities.ts';
import { listPrograms } from '../data/programs.ts';
import type { QueryResolvers } from '../generated/graphql.ts';
import { overlaps } from '../schedule.ts';
import { occurrencesOfClass } from './occurrences.ts';
import { reportQueries } from './reports.ts';
import { managementQueries } from './management-queries.ts';

// Lookups go through the loaders, which only return what the caller may see: outside your reach
// is indistinguishable from not existing.
export const Query: QueryResolvers = {
  ...reportQueries,
  ...managementQueries,
  facility: (_, { id }, ctx) => ctx.loaders.facility.load(id),
  program: (_, { id }, ctx) => ctx.loaders.program.load(id),
  programClass: (_, { id }, ctx) => ctx.loaders.programClass.load(id),
  classEnrollment: (_, { id }, ctx) => ctx.loaders.enrollment.load(id),

  async facilities(_, args, ctx) {
    const { rows, query, sortField } = await ctx.db.read((tx) => listFacilities(tx, ctx.identity, args.filter ?? {}, args));
    for (const row of rows) ctx.loaders.facility.prime(row.id, row);
    return toConnection(rows, query, sortField);
  },

  async programs(_, args, ctx) {
    const { rows, query, sortField } = await ctx.db.read((tx) => listPrograms(tx, ctx.identity, args.filter ?? {}, args));
    for (const row of rows) ctx.loaders.program.prime(row.id, row);
    return toConnection(rows, query, sortField);
  },

  async programClasses(_, args, ctx) {
    const sort = { field: args.sort?.field ?? 'START_DT', direction: args.sort?.direction ?? 'ASC' } as const;
    const { rows, query, sortField } = await ctx.db.read((tx) => listClasses(tx, ctx.identity, args.filter ?? {}, args, sort));
    for (const row of rows) ctx.loaders.programClass.prime(row.id, row);
    return toConnection(rows, query, sortField);
  },

  /** Overlapping occurrences of two classes one person is enrolled in; each class expanded once. */
  async scheduleConflicts(_, args, ctx) {
    const people = await ctx.db.read((tx) => multiClassEnrollments(tx, ctx.identity, args.facilityId));
    const classIds = [...new Set(people.flatMap(([, ids]) => ids))];
    const perClass = new Map(await Promise.all(classIds.map(async (id) => [id, await occurrencesOfClass(id, args, ctx)] as const)));
    return people.flatMap(([userId, ids]) =>
      overlaps(ids.flatMap((id) => perClass.get(id) ?? [])).map(([first, second]) => ({
        user: { id: userId },
        first,
        second,
      })),
    );
  },
};
