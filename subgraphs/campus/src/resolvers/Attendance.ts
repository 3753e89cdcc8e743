import type { AttendanceResolvers } from '../generated/graphql.ts';

export const Attendance: AttendanceResolvers = {
  user: (a) => ({ id: a.userId }),
  recordedBy: (a) => ({ id: a.recordedBy }),
  class: (a, _, ctx) => ctx.loaders.programClass.load(a.classId),
  event: (a, _, ctx) => ctx.loaders.classEvent.load(a.eventId),
  date: (a) => a.date.toISOString().slice(0, 10),
};
