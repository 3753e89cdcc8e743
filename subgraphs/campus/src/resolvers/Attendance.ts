import type { CampusContext } from '../context.ts';
import type { Attendance as AttendanceRow } from '../generated/prisma/client.ts';

export const Attendance = {
  user: (a: AttendanceRow) => ({ __typename: 'User', id: a.userId }),
  recordedBy: (a: AttendanceRow) => ({ __typename: 'User', id: a.recordedBy }),
  class: (a: AttendanceRow, _: unknown, ctx: CampusContext) => ctx.loaders.programClass.load(a.classId),
  event: (a: AttendanceRow, _: unknown, ctx: CampusContext) => ctx.loaders.classEvent.load(a.eventId),
  date: (a: AttendanceRow) => a.date.toISOString().slice(0, 10),
};
