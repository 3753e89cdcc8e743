import type { InterventionResolvers, InterventionStatus } from '../generated/graphql.ts';

const day = (d: Date | null) => d?.toISOString().slice(0, 10) ?? null;

export const Intervention: InterventionResolvers = {
  status: (i) => i.status as InterventionStatus,
  student: (i, _, ctx) => ctx.loaders.student.load(i.studentId),
  request: (i, _, ctx) => (i.requestId ? ctx.loaders.request.load(i.requestId) : null),
  startedOn: (i) => day(i.startedOn),
  endedOn: (i) => day(i.endedOn),
  createdBy: (i) => ({ id: i.createdById }),
  notes: (i, args, ctx) =>
    ctx.loaders.notesOfIntervention.load({ key: i.id, page: { first: args.first, after: args.after }, filter: null }),
};
