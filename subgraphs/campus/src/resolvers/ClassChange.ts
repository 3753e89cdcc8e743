import type { ClassChangeResolvers } from '../generated/graphql.ts';

export const ClassChange: ClassChangeResolvers = {
  at: (c) => c.createdAt,
  class: (c, _, ctx) => ctx.loaders.programClass.load(c.classId),
  enrollment: (c, _, ctx) => (c.enrollmentId ? ctx.loaders.enrollment.load(c.enrollmentId) : null),
  actor: (c) => ({ id: c.actorId }),
};
