import type { CampusContext } from '../context.ts';
import { checkRange } from '../data/schedules.ts';
import type { ClassEvent } from '../generated/prisma/client.ts';
import { expand, type Occurrence } from '../schedule.ts';

/** The [from, to) every occurrence and rate field takes. */
export interface DateRange {
  from: Date;
  to: Date;
}

/** Occurrences of events in [from, to), through the loaders (events, overrides and time zones batched). */
export async function occurrencesOfEvents(events: ClassEvent[], { from, to }: DateRange, ctx: CampusContext): Promise<Occurrence[]> {
  checkRange(from, to);
  const expanded = await Promise.all(
    events.map(async (event) => {
      const [zone, overrides] = await Promise.all([
        ctx.loaders.timezone.load(event.facilityId),
        ctx.loaders.overridesOfEvent.load(event.id),
      ]);
      return expand(event, zone, overrides, from, to);
    }),
  );
  return expanded.flat().sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

export const occurrencesOfClass = async (classId: string, range: DateRange, ctx: CampusContext) =>
  occurrencesOfEvents(await ctx.loaders.eventsOfClass.load(classId), range, ctx);

/** An attendance summary with its rate. */
export const withRate = (s: { present: number; absentExcused: number; absentUnexcused: number }) => {
  const recorded = s.present + s.absentExcused + s.absentUnexcused;
  return { ...s, recorded, rate: recorded === 0 ? null : s.present / recorded };
};
