import type { CampusContext } from '../context.ts';
import type { ClassChange as ClassChangeRow } from '../generated/prisma/client.ts';

export const ClassChange = {
  at: (c: ClassChangeRow) => c.createdAt,
  class: (c: ClassChangeRow, _: unknown, ctx: CampusContext) => ctx.loaders.programClass.load(c.classId),
  enrollment: (c: ClassChangeRow, _: unknown, ctx: CampusContext) => (c.enrollmentId ? ctx.loaders.enrollment.load(c.enrollmentId) : null),
  actor: (c: ClassChangeRow) => ({ __typename: 'User', id: c.actorId }),
};
