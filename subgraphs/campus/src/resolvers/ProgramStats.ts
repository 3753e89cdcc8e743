import type { ProgramStatsResolvers } from '../generated/graphql.ts';
import { withRate } from './occurrences.ts';
import { completionShown } from './reports.ts';

export const ProgramStats: ProgramStatsResolvers = {
  completionRate: (s, _, ctx) => completionShown(ctx.identity, s.completed, s.incomplete),
  attendance: (s) => withRate(s),
  attendanceRate: (s) => withRate(s).rate,
};
