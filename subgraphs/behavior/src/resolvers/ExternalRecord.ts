import type { ExternalMatchStatus, ExternalRecordResolvers } from '../generated/graphql.ts';

export const ExternalRecord: ExternalRecordResolvers = {
  data: (r) => r.dataPayload,
  student: (r, _, ctx) => (r.studentId ? ctx.loaders.student.load(r.studentId) : null),
  matchStatus: (r) => r.matchStatus as ExternalMatchStatus,
  reviewedBy: (r) => (r.reviewedById ? { id: r.reviewedById } : null),
};
