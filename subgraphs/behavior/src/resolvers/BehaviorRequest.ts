import type { BehaviorContext } from '../context.ts';
import type { BehaviorRequestResolvers, BehaviorRequestStatus } from '../generated/graphql.ts';
import { REQUEST_TRANSITIONS, type RequestStatus } from '../writes/workflow.ts';

/** Statuses the client sets itself (the reflection mutations set the others). */
const MANUAL = new Set<RequestStatus>(['reflection_assigned', 'resolved', 'cancelled']);

export const BehaviorRequest: BehaviorRequestResolvers = {
  __resolveReference: (ref, ctx: BehaviorContext) => ctx.loaders.request.load(ref.id),
  status: (r) => r.status as BehaviorRequestStatus,
  student: (r, _, ctx) => ctx.loaders.student.load(r.studentId),
  teacher: (r) => ({ id: r.teacherId }),
  nextStatuses: (r) => REQUEST_TRANSITIONS[r.status as RequestStatus].filter((s) => MANUAL.has(s)),
  history: (r, args, ctx) => ctx.loaders.changesOfEntity.load({ key: r.id, page: { first: args.first, after: args.after }, filter: null }),
  interventions: (r, _, ctx) => ctx.loaders.interventionsOfRequest.load(r.id),
  reflection: (r, _, ctx) => ctx.loaders.reflectionOfRequest.load(r.id),
};
