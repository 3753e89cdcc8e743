import { toConnection, type PageArgs } from '@pathway/kit';
import type { BehaviorContext } from '../context.ts';
import { listFamilies, type FamilyFilter, type FamilySortField } from '../data/families.ts';
import { behaviorStats } from '../data/stats.ts';
import { listStudents, type StudentFilter, type StudentSortField } from '../data/students.ts';
import { uuidArg } from '@pathway/kit';

type Direction = 'ASC' | 'DESC';
interface StudentsArgs extends PageArgs {
  filter?: StudentFilter | null;
  sort?: { field: StudentSortField; direction?: Direction | null } | null;
}
interface FamiliesArgs extends PageArgs {
  filter?: FamilyFilter | null;
  sort?: { field: FamilySortField; direction?: Direction | null } | null;
}

export const Query = {
  behaviorStats: (_: unknown, __: unknown, ctx: BehaviorContext) => ctx.db.run((tx) => behaviorStats(tx, ctx.identity!)),

  // The loaders return only what the caller may see: out of reach reads as not found (null).
  student(_: unknown, { id }: { id: string }, ctx: BehaviorContext) {
    uuidArg(id, 'id');
    return ctx.loaders.student.load(id);
  },

  family(_: unknown, { id }: { id: string }, ctx: BehaviorContext) {
    uuidArg(id, 'id');
    return ctx.loaders.family.load(id);
  },

  async students(_: unknown, args: StudentsArgs, ctx: BehaviorContext) {
    const filter = args.filter ?? {};
    uuidArg(filter.familyId, 'filter.familyId');
    uuidArg(filter.facilityId, 'filter.facilityId');
    const sort = { field: args.sort?.field ?? 'LAST_NAME', direction: args.sort?.direction ?? 'ASC' } as const;
    const { rows, query, sortField } = await ctx.db.run((tx) => listStudents(tx, ctx.identity!, filter, args, sort));
    for (const row of rows) ctx.loaders.student.prime(row.id, row);
    return toConnection(rows, query, sortField);
  },

  async families(_: unknown, args: FamiliesArgs, ctx: BehaviorContext) {
    const sort = { field: args.sort?.field ?? 'FAMILY_NAME', direction: args.sort?.direction ?? 'ASC' } as const;
    const { rows, query, sortField } = await ctx.db.run((tx) => listFamilies(tx, ctx.identity!, args.filter ?? {}, args, sort));
    for (const row of rows) ctx.loaders.family.prime(row.id, row);
    return toConnection(rows, query, sortField);
  },
};
