import type { CampusContext } from '../context.ts';
import { localTime, type Occurrence } from '../schedule.ts';

export const ClassOccurrence = {
  event: (o: Occurrence, _: unknown, ctx: CampusContext) => ctx.loaders.classEvent.load(o.eventId),
  class: (o: Occurrence, _: unknown, ctx: CampusContext) => ctx.loaders.programClass.load(o.classId),
  localStart: (o: Occurrence) => localTime(o.startsAt, o.timezone),
  localEnd: (o: Occurrence) => localTime(o.endsAt, o.timezone),
  attendance: (o: Occurrence, _: unknown, ctx: CampusContext) => ctx.loaders.attendanceOfOccurrence.load(`${o.eventId}|${o.date}`),
};
