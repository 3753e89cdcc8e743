import type { BehaviorInsightResolvers } from '../generated/graphql.ts';

export const BehaviorInsight: BehaviorInsightResolvers = {
  student: (i, _, ctx) => ctx.loaders.student.load(i.studentId),
  evidence: (i) => {
    const evidence = (i.data as { evidence?: unknown } | null)?.evidence;
    return Array.isArray(evidence) ? (evidence as string[]) : [];
  },
};
