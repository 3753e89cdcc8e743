import type { RoomResolvers } from '../generated/graphql.ts';
import { occurrencesOfEvents } from './occurrences.ts';

export const Room: RoomResolvers = {
  facility: (r, _, ctx) => ctx.loaders.facility.load(r.facilityId),
  async schedule(room, range, ctx) {
    const events = await ctx.loaders.management.eventsInRoom.load(room.id);
    return (await occurrencesOfEvents(events, range, ctx)).filter((o) => o.roomId === room.id);
  },
};
