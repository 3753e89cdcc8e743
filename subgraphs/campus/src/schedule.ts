import { badInput } from '@pathway/kit';
import { DateTime } from 'luxon';
import rrulePkg from 'rrule';
import type { ClassEvent, EventOverride } from './generated/prisma/client.ts';

// rrule ships CommonJS; its named exports are only reachable through the default import under ESM.
const { RRule } = rrulePkg;
type RRuleOptions = ReturnType<typeof RRule.parseString>;

/**
 * Recurrence in a facility's time zone. rrule computes in "floating" time: wall-clock times written
 * as if they were UTC. So the series start is turned into the facility's wall clock, expanded, and
 * each result turned back into an instant in that zone: 08:30 stays 08:30 across a DST change.
 */

/** How far an occurrence may be moved from its original day; expansion looks this far around a range. */
export const MAX_SHIFT_DAYS = 7;
const MAX_OCCURRENCES = 2000;
const DAY_LEVEL = new Set([RRule.YEARLY, RRule.MONTHLY, RRule.WEEKLY, RRule.DAILY]);
const INTEGER_FIELDS = ['interval', 'count', 'bysetpos', 'bymonth', 'bymonthday', 'byyearday', 'byweekno'] as const;

/** A normalised RRULE (no DTSTART: the event's start is its own field), or BAD_USER_INPUT. */
export function validateRule(input: string): string {
  const text = input.trim().replace(/^RRULE:/i, '');
  const refuse = (why: string): never => {
    throw badInput(`Not a valid recurrence rule: ${why}.`, { recurrenceRule: why });
  };
  if (!text) refuse('empty');
  if (/DTSTART|TZID|\n/i.test(text)) refuse('give the start as startsAt, not in the rule');
  let options: RRuleOptions;
  try {
    options = RRule.parseString(text);
  } catch (error) {
    return refuse((error as Error).message);
  }
  if (options.freq == null || !DAY_LEVEL.has(options.freq)) refuse('FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY');
  if ('byhour' in options || 'byminute' in options || 'bysecond' in options)
    refuse('the time of day comes from startsAt (no BYHOUR/BYMINUTE/BYSECOND)');
  const weekdays = options.byweekday == null ? [] : Array.isArray(options.byweekday) ? options.byweekday : [options.byweekday];
  if (weekdays.some((d) => d == null)) refuse('unknown BYDAY value');
  for (const field of INTEGER_FIELDS) {
    const value = options[field];
    if (value == null) continue;
    if (![value].flat().every((n) => Number.isInteger(n))) refuse(`${field.toUpperCase()} must be a whole number`);
  }
  if (options.interval != null && (options.interval < 1 || options.interval > 366)) refuse('INTERVAL must be 1–366');
  if (options.count != null && (options.count < 1 || options.count > MAX_OCCURRENCES)) refuse(`COUNT must be 1–${MAX_OCCURRENCES}`);
  if (options.until != null && Number.isNaN(options.until.getTime())) refuse('UNTIL is not a date');
  return new RRule(options).toString().replace(/^RRULE:/, '');
}

const floating = (dt: DateTime) => new Date(Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.second));
const unfloat = (d: Date, zone: string) =>
  DateTime.fromObject(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    },
    { zone },
  );

export interface Occurrence {
  eventId: string;
  classId: string;
  /** The original local date: names the occurrence (overrides and attendance refer to it). */
  date: string;
  originalStart: Date;
  startsAt: Date;
  endsAt: Date;
  timezone: string;
  room: string | null;
  /** The room booked (rooms table): the override's, else the series'. */
  roomId: string | null;
  /** The facility closure that cancelled it, if one did. */
  closureId: string | null;
  cancelled: boolean;
  rescheduled: boolean;
  reason: string | null;
}

/** The series' own starts (before overrides) whose local start falls in [from, to], as instants. */
function seriesStarts(event: ClassEvent, zone: string, from: Date, to: Date): DateTime[] {
  const start = DateTime.fromJSDate(event.startsAt, { zone });
  if (!event.recurrenceRule) return event.startsAt >= from && event.startsAt <= to ? [start] : [];
  const rule = new RRule({ ...RRule.parseString(event.recurrenceRule), dtstart: floating(start) });
  const f = floating(DateTime.fromJSDate(from, { zone }));
  const t = floating(DateTime.fromJSDate(to, { zone }));
  return rule.between(f, t, true, (_d, i) => i < MAX_OCCURRENCES).map((d) => unfloat(d, zone));
}

/** The occurrence the series puts at `local`, with its override (if any) applied. */
function occurrenceAt(event: ClassEvent, zone: string, local: DateTime, o: EventOverride | undefined): Occurrence {
  const startsAt = o?.startsAt ?? local.toJSDate();
  return {
    eventId: event.id,
    classId: event.classId,
    date: local.toISODate()!,
    originalStart: local.toJSDate(),
    startsAt,
    endsAt: new Date(startsAt.getTime() + (o?.durationMinutes ?? event.durationMinutes) * 60_000),
    timezone: zone,
    room: o?.room ?? event.room,
    roomId: o?.roomId ?? event.roomId,
    closureId: o?.cancelled ? o.closureId : null,
    cancelled: o?.cancelled ?? false,
    rescheduled: !!o && !o.cancelled && (o.startsAt != null || o.durationMinutes != null),
    reason: o?.reason ?? null,
  };
}

const dateKey = (o: EventOverride) => o.date.toISOString().slice(0, 10);

/** Occurrences of one event overlapping [from, to), overrides applied, by start. */
export function expand(event: ClassEvent, zone: string, overrides: readonly EventOverride[], from: Date, to: Date): Occurrence[] {
  const margin = MAX_SHIFT_DAYS * 86_400_000 + event.durationMinutes * 60_000;
  const byDate = new Map(overrides.map((o) => [dateKey(o), o]));
  const result: Occurrence[] = [];
  for (const local of seriesStarts(event, zone, new Date(from.getTime() - margin), new Date(to.getTime() + margin))) {
    const occurrence = occurrenceAt(event, zone, local, byDate.get(local.toISODate()!));
    if (occurrence.startsAt < to && occurrence.endsAt > from) result.push(occurrence);
  }
  return result.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

/** The occurrence originally on local `date` (YYYY-MM-DD), overrides applied, or null when the series has none that day. */
export function occurrenceOn(event: ClassEvent, zone: string, overrides: readonly EventOverride[], date: string): Occurrence | null {
  const day = DateTime.fromISO(date, { zone });
  if (!day.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const starts = seriesStarts(event, zone, day.startOf('day').toJSDate(), day.endOf('day').toJSDate());
  const local = starts.find((s) => s.toISODate() === date);
  if (!local) return null;
  return occurrenceAt(
    event,
    zone,
    local,
    overrides.find((o) => dateKey(o) === date),
  );
}

/** A time as the facility reads it, with its offset (2026-11-02T08:30:00-05:00). */
export const localTime = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toISO({ suppressMilliseconds: true })!;

/** Pairs of occurrences (of different classes) that overlap in time. */
export function overlaps(occurrences: Occurrence[]): [Occurrence, Occurrence][] {
  const sorted = occurrences.filter((o) => !o.cancelled).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const pairs: [Occurrence, Occurrence][] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j]!.startsAt < sorted[i]!.endsAt; j++) {
      if (sorted[j]!.classId !== sorted[i]!.classId) pairs.push([sorted[i]!, sorted[j]!]);
    }
  }
  return pairs;
}

/** Pairs (mine, theirs) of occurrences that overlap in time, neither cancelled. */
export function clashes(mine: readonly Occurrence[], theirs: readonly Occurrence[]): [Occurrence, Occurrence][] {
  const pairs: [Occurrence, Occurrence][] = [];
  for (const a of mine) {
    if (a.cancelled) continue;
    for (const b of theirs) if (!b.cancelled && a.startsAt < b.endsAt && b.startsAt < a.endsAt) pairs.push([a, b]);
  }
  return pairs;
}
