import type { ClassOccurrenceResolvers } from '../generated/graphql.ts';
import { localTime } from '../schedule.ts';

export const ClassOccurrence: ClassOccurrenceResolvers = {
  event: (o, _, ctx) => ctx.loaders.classEvent.load(o.eventId),
  class: (o, _, ctx) => ctx.loaders.programClass.load(o.classId),
  localStart: (o) => localTime(o.startsAt, o.timezone),
  localEnd: (o) => localTime(o.endsAt, o.timezone),
  attendance: (o, _, ctx) => ctx.loaders.attendanceOfOccurrence.load(`${o.eventId}|${o.date}`),
  bookedRoom: (o, _, ctx) => (o.roomId ? ctx.loaders.management.room.load(o.roomId) : null),
  closure: (o, _, ctx) => (o.closureId ? ctx.loaders.management.closure.load(o.closureId) : null),
};
