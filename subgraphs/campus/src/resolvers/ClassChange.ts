import type { ClassChangeResolvers } from '../generated/graphql.ts';

export const ClassChange: ClassChangeResolvers = {
  class: (c, _, ctx) => ctx.loaders.programClass.load(c.classId),
  enrollment: (c, _, ctx) => (c.enrollmentId ? ctx.loaders.enrollment.load(c.enrollmentId) : null),
  actor: (c) => ({ id: c.actorId }),
};
