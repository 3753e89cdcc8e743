import { primeVisible, toConnection } from '@pathway/kit';
import type { QueryResolvers } from '../generated/graphql.ts';
import { listCourses, searchCourses } from '../data/courses.ts';
import { listPlatforms } from '../data/providers.ts';
import { listMappings, listTasks } from '../data/tasks.ts';
import { learningStats } from '../data/stats.ts';
import { withCategory } from './Category.ts';

export const Query: QueryResolvers = {
  learningStats: (_, range, ctx) => ctx.db.read((tx) => learningStats(tx, ctx.identity, range)),

  // The loaders apply the caller's reach: outside it is indistinguishable from not existing.
  course: (_, { id }, ctx) => ctx.loaders.course.load(id),

  async courses(_, args, ctx) {
    const filter = await withCategory(ctx, args.filter ?? {}, 'course');
    const text = filter.search?.trim();
    if (text) {
      // Ranked full-text search: best match first (the sort argument does not apply).
      const connection = await ctx.db.read((tx) => searchCourses(tx, ctx.identity, filter, text, args));
      for (const row of connection.nodes) ctx.loaders.course.prime(row.id, row);
      primeVisible(ctx.loaders.courseVisible, connection.nodes);
      return connection;
    }
    const sort = { field: args.sort?.field ?? 'NAME', direction: args.sort?.direction ?? 'ASC' } as const;
    const { rows, query, sortField } = await ctx.db.read((tx) => listCourses(tx, ctx.identity, filter, args, sort));
    for (const row of rows) ctx.loaders.course.prime(row.id, row);
    primeVisible(ctx.loaders.courseVisible, rows);
    return toConnection(rows, query, sortField);
  },

  providerPlatform: (_, { id }, ctx) => ctx.loaders.providerPlatform.load(id),

  syncTask: (_, { id }, ctx) => ctx.loaders.syncTask.load(id),
  milestone: (_, { id }, ctx) => ctx.loaders.milestone.load(id),
  outcome: (_, { id }, ctx) => ctx.loaders.outcome.load(id),

  async syncTasks(_, args, ctx) {
    const { rows, query } = await ctx.db.read((tx) => listTasks(tx, ctx.identity, args.filter ?? {}, args));
    for (const row of rows) ctx.loaders.syncTask.prime(row.id, row);
    return toConnection(rows, query, 'createdAt');
  },

  async providerUserMappings(_, args, ctx) {
    const { rows, query } = await ctx.db.read((tx) => listMappings(tx, ctx.identity, args.providerPlatformId, args.status, args));
    return toConnection(rows, query, 'createdAt');
  },

  async providerPlatforms(_, args, ctx) {
    const { rows, query, sortField } = await ctx.db.read((tx) => listPlatforms(tx, ctx.identity, args.filter ?? {}, args));
    for (const row of rows) ctx.loaders.providerPlatform.prime(row.id, row);
    primeVisible(ctx.loaders.providerPlatformVisible, rows);
    return toConnection(rows, query, sortField);
  },
};
