import { badInput } from '@pathway/kit';
import { DateTime } from 'luxon';
import type { AttendanceGapResolvers, FacilityDashboardResolvers, ResidentEngagementResolvers } from '../generated/graphql.ts';
import type { Occurrence } from '../schedule.ts';
import { occurrencesOfEvents, withRate } from './occurrences.ts';

/** How far back "classes needing attendance" looks, in days including the dashboard's date. */
const ATTENDANCE_WINDOW_DAYS = 14;

/**
 * A facility's dashboard. Every field reads through loaders keyed by facility, so a department
 * dashboard of many facilities, or a facility of many classes and people, costs the same number of
 * statements (test/campus-management-dashboard.test.ts counts them).
 */
export const FacilityDashboard: FacilityDashboardResolvers = {
  async todaySchedule({ facility, date }, _, ctx) {
    const day = DateTime.fromISO(date, { zone: facility.timezone });
    const from = day.startOf('day').toJSDate();
    const to = day.plus({ days: 1 }).startOf('day').toJSDate();
    const events = await ctx.loaders.management.dashboardEvents.load(facility.id);
    return (await occurrencesOfEvents(events, { from, to }, ctx)).filter((o) => o.startsAt >= from && o.startsAt < to);
  },

  async classesNeedingAttendance({ facility, date }, _, ctx) {
    const day = DateTime.fromISO(date, { zone: facility.timezone });
    const first = day.minus({ days: ATTENDANCE_WINDOW_DAYS - 1 }).startOf('day');
    const now = new Date();
    const end = day.plus({ days: 1 }).startOf('day').toJSDate();
    const to = end < now ? end : now;
    if (to <= first.toJSDate()) return [];
    const [events, recorded] = await Promise.all([
      ctx.loaders.management.dashboardEvents.load(facility.id),
      ctx.loaders.management.recordedAt.load(`${facility.id}|${first.toISODate()}|${date}`),
    ]);
    const missing = (await occurrencesOfEvents(events, { from: first.toJSDate(), to }, ctx)).filter(
      (o) => !o.cancelled && o.startsAt < to && !recorded.has(`${o.eventId}|${o.date}`),
    );
    const byClass = new Map<string, Occurrence[]>();
    for (const o of missing) byClass.set(o.classId, [...(byClass.get(o.classId) ?? []), o]);
    return [...byClass.entries()]
      .map(([classId, occurrences]) => ({ classId, occurrences }))
      .sort((a, b) => b.occurrences.length - a.occurrences.length);
  },

  async trends({ facility, date }, { months }, ctx) {
    const count = months ?? 6;
    if (!Number.isInteger(count) || count < 1 || count > 24) throw badInput('`months` must be 1–24.', { months: 'out of range' });
    const since = DateTime.fromISO(date, { zone: facility.timezone })
      .startOf('month')
      .minus({ months: count - 1 });
    const rows = await ctx.loaders.management.trends.load(`${facility.id}|${since.toUTC().toISO()}`);
    return Array.from({ length: count }, (_, i) => {
      const month = since.plus({ months: i }).toFormat('yyyy-MM');
      const of = (kind: string) => rows.find((r) => r.month === month && r.kind === kind)?.count ?? 0;
      return { month, enrolled: of('enrolled'), completed: of('completed'), incomplete: of('incomplete') };
    });
  },

  async residentEngagement({ facility }, { first }, ctx) {
    const take = first ?? 50;
    if (!Number.isInteger(take) || take < 1 || take > 100) throw badInput('`first` must be 1–100.', { first: 'out of range' });
    const rows = await ctx.loaders.management.engagement.load(facility.id);
    const recorded = (r: (typeof rows)[number]) => r.present + r.absentExcused + r.absentUnexcused;
    return [...rows].sort((a, b) => b.active - a.active || recorded(b) - recorded(a) || (a.userId < b.userId ? -1 : 1)).slice(0, take);
  },
};

export const AttendanceGap: AttendanceGapResolvers = {
  class: (g, _, ctx) => ctx.loaders.programClass.load(g.classId),
  missing: (g) => g.occurrences.length,
};

export const ResidentEngagement: ResidentEngagementResolvers = {
  user: (r) => ({ id: r.userId }),
  activeClasses: (r) => r.active,
  completedClasses: (r) => r.completed,
  incompleteClasses: (r) => r.incomplete,
  attendance: (r) => withRate(r),
};
