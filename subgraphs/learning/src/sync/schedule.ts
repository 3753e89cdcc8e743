import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

/** Whether `tz` is an IANA time zone this runtime knows. */
const knownZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** A 5-field cron expression (minute hour day month weekday), e.g. `0 2 * * *`; '' turns scheduled syncs off. */
export const scheduleField = z
  .string()
  .trim()
  .max(100)
  .refine((cron) => cron === '' || (cron.split(/\s+/).length === 5 && parses(cron)), 'must be a 5-field cron expression, e.g. "0 2 * * *"');
export const timezoneField = z.string().trim().min(1).max(64).refine(knownZone, 'must be an IANA time zone, e.g. America/Chicago');

function parses(cron: string): boolean {
  try {
    CronExpressionParser.parse(cron);
    return true;
  } catch {
    return false;
  }
}

/** The schedule's latest occurrence at or before `now`, read in `tz` (so 02:00 stays 02:00 across DST). */
export function lastOccurrence(cron: string, tz: string, now: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: now, tz }).prev().toDate();
}

export function nextOccurrence(cron: string, tz: string, now: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: now, tz }).next().toDate();
}

/**
 * Whether a platform's schedule has an occurrence it has not asked for yet: one after the last time
 * it asked (or, never having asked, after the platform was created). Missed occurrences (the service
 * was down) ask once, not once each.
 */
export function isDue(
  platform: { syncSchedule: string | null; syncTimezone: string; lastScheduledAt: Date | null; createdAt: Date },
  now: Date,
): boolean {
  if (!platform.syncSchedule) return false;
  return lastOccurrence(platform.syncSchedule, platform.syncTimezone, now) > (platform.lastScheduledAt ?? platform.createdAt);
}
