import type { CaseloadAssignmentResolvers } from '../generated/graphql.ts';

export const CaseloadAssignment: CaseloadAssignmentResolvers = {
  student: (a, _, ctx) => ctx.loaders.student.load(a.studentId),
  staff: (a) => ({ id: a.teacherId }),
  assignedBy: (a) => (a.assignedById ? { id: a.assignedById } : null),
};
