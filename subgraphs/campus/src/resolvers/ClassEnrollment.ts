import type { PageArgs } from '@pathway/kit';
import type { CampusContext } from '../context.ts';
import type { ClassEnrollment as ClassEnrollmentRow } from '../generated/prisma/client.ts';

export const ClassEnrollment = {
  __resolveReference: (ref: { id: string }, ctx: CampusContext) => ctx.loaders.enrollment.load(ref.id),
  class: (e: ClassEnrollmentRow, _: unknown, ctx: CampusContext) => ctx.loaders.programClass.load(e.classId),
  // A reference: identity resolves the person's fields under its own rules.
  user: (e: ClassEnrollmentRow) => ({ __typename: 'User', id: e.userId }),
  changeLog: (e: ClassEnrollmentRow, args: PageArgs, ctx: CampusContext) =>
    ctx.loaders.changesOfEnrollment.load({ key: e.id, page: { first: args.first, after: args.after }, filter: null }),
};
