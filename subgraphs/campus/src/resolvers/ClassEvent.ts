import type { ClassEventResolvers } from '../generated/graphql.ts';
import { occurrencesOfEvents } from './occurrences.ts';

export const ClassEvent: ClassEventResolvers = {
  class: (e, _, ctx) => ctx.loaders.programClass.load(e.classId),
  occurrences: (e, range, ctx) => occurrencesOfEvents([e], range, ctx),
  bookedRoom: (e, _, ctx) => (e.roomId ? ctx.loaders.management.room.load(e.roomId) : null),
};
