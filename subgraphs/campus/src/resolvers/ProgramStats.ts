import type { ProgramStatsResolvers } from '../generated/graphql.ts';
import { withRate } from './occurrences.ts';

export const ProgramStats: ProgramStatsResolvers = {
  completionRate: (s) => (s.completed + s.incomplete === 0 ? null : s.completed / (s.completed + s.incomplete)),
  attendance: (s) => withRate(s),
  attendanceRate: (s) => withRate(s).rate,
};
