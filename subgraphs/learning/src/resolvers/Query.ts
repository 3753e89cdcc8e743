import { badInput, toConnection, type PageArgs } from '@pathway/kit';
import type { LearningContext } from '../context.ts';
import { listCourses, type CourseFilter, type CourseSortField } from '../data/courses.ts';
import { isUuid } from '@pathway/kit';
import { listPlatforms, type ProviderPlatformFilter } from '../data/providers.ts';
import { learningStats, type StatsRange } from '../data/stats.ts';

interface CoursesArgs extends PageArgs {
  filter?: CourseFilter | null;
  sort?: { field: CourseSortField; direction?: 'ASC' | 'DESC' | null } | null;
}
interface PlatformsArgs extends PageArgs {
  filter?: ProviderPlatformFilter | null;
}

export const Query = {
  learningStats: (_: unknown, range: StatsRange, ctx: LearningContext) => ctx.db.run((tx) => learningStats(tx, ctx.identity!, range)),

  // The loaders apply the caller's reach: outside it is indistinguishable from not existing.
  course: (_: unknown, { id }: { id: string }, ctx: LearningContext) => ctx.loaders.course.load(id),

  async courses(_: unknown, args: CoursesArgs, ctx: LearningContext) {
    const filter = args.filter ?? {};
    if (filter.providerPlatformId && !isUuid(filter.providerPlatformId))
      throw badInput('`filter.providerPlatformId` is not a valid id.', { providerPlatformId: 'not a UUID' });
    const sort = { field: args.sort?.field ?? 'NAME', direction: args.sort?.direction ?? 'ASC' } as const;
    const { rows, query, sortField } = await ctx.db.run((tx) => listCourses(tx, ctx.identity!, filter, args, sort));
    for (const row of rows) ctx.loaders.course.prime(row.id, row);
    return toConnection(rows, query, sortField);
  },

  providerPlatform: (_: unknown, { id }: { id: string }, ctx: LearningContext) => ctx.loaders.providerPlatform.load(id),

  async providerPlatforms(_: unknown, args: PlatformsArgs, ctx: LearningContext) {
    const { rows, query, sortField } = await ctx.db.run((tx) => listPlatforms(tx, ctx.identity!, args.filter ?? {}, args));
    for (const row of rows) ctx.loaders.providerPlatform.prime(row.id, row);
    return toConnection(rows, query, sortField);
  },
};
