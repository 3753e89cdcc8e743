import { describe, expect, it } from 'vitest';
import { isDue, lastOccurrence, nextOccurrence, scheduleField, timezoneField } from '../src/sync/schedule.ts';

// Per-platform sync schedules: a cron expression read in the platform's time zone.
describe('sync schedules', () => {
  const platform = {
    syncSchedule: '0 2 * * *',
    syncTimezone: 'America/Chicago',
    lastScheduledAt: null,
    createdAt: new Date('2026-11-01T00:00:00Z'),
  };

  it('reads 02:00 in the platform’s time zone, across DST', () => {
    expect(lastOccurrence('0 2 * * *', 'America/Chicago', new Date('2026-07-02T12:00:00Z')).toISOString()).toBe('2026-07-02T07:00:00.000Z'); // CDT
    expect(lastOccurrence('0 2 * * *', 'America/Chicago', new Date('2026-12-02T12:00:00Z')).toISOString()).toBe('2026-12-02T08:00:00.000Z'); // CST
    expect(nextOccurrence('0 2 * * *', 'UTC', new Date('2026-12-02T12:00:00Z')).toISOString()).toBe('2026-12-03T02:00:00.000Z');
  });

  it('is due once per occurrence: after the last time it asked, missed occurrences asking once', () => {
    const now = new Date('2026-12-02T08:01:00Z'); // just after 02:00 Chicago
    expect(isDue(platform, now)).toBe(true);
    expect(isDue({ ...platform, lastScheduledAt: now }, new Date('2026-12-02T09:00:00Z'))).toBe(false);
    expect(isDue({ ...platform, lastScheduledAt: new Date('2026-11-20T08:00:30Z') }, now)).toBe(true); // days missed: one run
    expect(isDue({ ...platform, syncSchedule: null }, now)).toBe(false);
    expect(isDue({ ...platform, createdAt: new Date('2026-12-02T08:00:30Z') }, now)).toBe(false); // created after today's occurrence
  });

  it('refuses what is no 5-field cron expression or IANA zone', () => {
    for (const bad of ['every night', '0 2 * *', '0 0 2 * * *', '61 2 * * *'])
      expect(scheduleField.safeParse(bad).success, bad).toBe(false);
    expect(scheduleField.parse(' 30 1 * * 1-5 ')).toBe('30 1 * * 1-5');
    expect(scheduleField.parse('')).toBe('');
    expect(timezoneField.safeParse('Mars/Olympus').success).toBe(false);
    expect(timezoneField.parse('Europe/Berlin')).toBe('Europe/Berlin');
  });
});
