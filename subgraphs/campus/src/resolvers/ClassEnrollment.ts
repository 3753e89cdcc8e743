import type { CampusContext } from '../context.ts';
import type { ClassEnrollmentResolvers } from '../generated/graphql.ts';

export const ClassEnrollment: ClassEnrollmentResolvers = {
  // Federation calls this before any field rule: the caller may be anonymous (the loader then finds nothing).
  __resolveReference: (ref, ctx: CampusContext) => ctx.loaders.enrollment.load(ref.id),
  class: (e, _, ctx) => ctx.loaders.programClass.load(e.classId),
  // A reference: identity resolves the person's fields under its own rules.
  user: (e) => ({ id: e.userId }),
  changeLog: (e, args, ctx) =>
    ctx.loaders.changesOfEnrollment.load({ key: e.id, page: { first: args.first, after: args.after }, filter: null }),
};
