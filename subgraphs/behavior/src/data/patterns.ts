import { badInput } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import { dayOfWeekCluster, isTimeZone, moodTrajectory, requestTrend, timeOfDayCluster, weeklyCounts } from '../patterns.ts';

type Tx = Prisma.TransactionClient;

/** One student's patterns over `weeks` weeks up to `asOf` (the shield has decided the caller may see them). */
export async function studentPatterns(
  tx: Tx,
  studentId: string,
  args: { weeks?: number | null; timezone?: string | null; asOf?: Date | null },
) {
  const weeks = args.weeks ?? 12;
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 52) throw badInput('`weeks` must be between 1 and 52.', { weeks: 'out of range' });
  const timezone = args.timezone ?? 'UTC';
  if (!isTimeZone(timezone)) throw badInput('`timezone` is not an IANA time zone.', { timezone: 'unknown time zone' });
  const windowEnd = args.asOf ?? new Date();
  const windowStart = new Date(windowEnd.getTime() - weeks * 7 * 86_400_000);
  const within = { gte: windowStart, lt: windowEnd };
  const requests = await tx.behaviorRequest.findMany({
    where: { studentId, createdAt: within, status: { not: 'cancelled' } },
    select: { id: true, createdAt: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const reflections = await tx.reflection.findMany({
    where: { studentId, completedAt: within },
    select: { id: true, completedAt: true, moodRating: true },
    orderBy: [{ completedAt: 'asc' }, { id: 'asc' }],
  });
  const weekly = weeklyCounts(requests, windowEnd, weeks);
  return {
    windowStart,
    windowEnd,
    timezone,
    requestCount: requests.length,
    reflectionCount: reflections.length,
    weekly,
    timeOfDay: timeOfDayCluster(requests, timezone),
    dayOfWeek: dayOfWeekCluster(requests, timezone),
    trend: requestTrend(weekly),
    moodTrajectory: moodTrajectory(reflections),
  };
}
