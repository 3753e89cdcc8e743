/**
 * Behavior patterns (seed 002 behavior_patterns / insights), computed by the service itself from a
 * student's requests and reflections: plain, deterministic statistics, each with the figure it
 * rests on, a confidence and its evidence (the ids of the requests or reflections it counted), so a
 * person can check it. No external AI: the same history always gives the same answer.
 */

export interface RequestPoint {
  id: string;
  createdAt: Date;
}
export interface MoodPoint {
  id: string;
  completedAt: Date;
  moodRating: number;
}

export type TrendDirection = 'improving' | 'stable' | 'worsening' | 'insufficient_data';
export interface Trend {
  direction: TrendDirection;
  statistic: string;
  slope: number;
  correlation: number;
  confidence: number;
  sampleSize: number;
  evidence: string[];
}
export interface Cluster {
  label: string;
  share: number;
  confidence: number;
  evidence: string[];
  counts: { label: string; count: number }[];
}

const DAY_MS = 86_400_000;
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Least-squares slope and Pearson correlation of y on x (0 and 0 when x or y does not vary). */
export function regression(xs: number[], ys: number[]): { slope: number; correlation: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return { slope: 0, correlation: 0 };
  return { slope: sxy / sxx, correlation: sxy / Math.sqrt(sxx * syy) };
}

/** Requests per week of the window, oldest first: week i covers [start + 7i days, start + 7(i+1) days). */
export function weeklyCounts(requests: RequestPoint[], windowEnd: Date, weeks: number) {
  const start = windowEnd.getTime() - weeks * 7 * DAY_MS;
  const buckets = Array.from({ length: weeks }, (_, i) => ({
    weekStart: new Date(start + i * 7 * DAY_MS),
    count: 0,
    requestIds: [] as string[],
  }));
  for (const r of requests) {
    const i = Math.floor((r.createdAt.getTime() - start) / (7 * DAY_MS));
    if (i >= 0 && i < weeks) {
      buckets[i]!.count++;
      buckets[i]!.requestIds.push(r.id);
    }
  }
  return buckets;
}

/**
 * Requests per week trending up is worsening. Statistic: the least-squares slope of the weekly
 * counts (requests per week, per week); |slope| under 0.1 is stable. Confidence: |Pearson r|.
 * Fewer than 4 requests or 4 weeks is too little to say.
 */
export function requestTrend(weekly: ReturnType<typeof weeklyCounts>): Trend {
  const evidence = weekly.flatMap((w) => w.requestIds);
  const base = { statistic: 'least-squares slope of requests per week', sampleSize: evidence.length, evidence };
  if (evidence.length < 4 || weekly.length < 4) return { ...base, direction: 'insufficient_data', slope: 0, correlation: 0, confidence: 0 };
  const { slope, correlation } = regression(
    weekly.map((_, i) => i),
    weekly.map((w) => w.count),
  );
  const direction = Math.abs(slope) < 0.1 ? 'stable' : slope > 0 ? 'worsening' : 'improving';
  return { ...base, direction, slope: round(slope), correlation: round(correlation), confidence: round(Math.abs(correlation)) };
}

/**
 * Mood over the reflections, in the order written. Statistic: the least-squares slope of the mood
 * rating (1–5) per reflection; |slope| under 0.1 is stable; rising mood is improving. At least 3.
 */
export function moodTrajectory(moods: MoodPoint[]): Trend {
  const sorted = [...moods].sort((a, b) => a.completedAt.getTime() - b.completedAt.getTime());
  const base = {
    statistic: 'least-squares slope of mood rating per reflection',
    sampleSize: sorted.length,
    evidence: sorted.map((m) => m.id),
  };
  if (sorted.length < 3) return { ...base, direction: 'insufficient_data', slope: 0, correlation: 0, confidence: 0 };
  const { slope, correlation } = regression(
    sorted.map((_, i) => i),
    sorted.map((m) => m.moodRating),
  );
  const direction = Math.abs(slope) < 0.1 ? 'stable' : slope > 0 ? 'improving' : 'worsening';
  return { ...base, direction, slope: round(slope), correlation: round(correlation), confidence: round(Math.abs(correlation)) };
}

const PARTS = ['night', 'morning', 'afternoon', 'evening'] as const;
const partOf = (hour: number) => (hour < 6 ? 'night' : hour < 12 ? 'morning' : hour < 17 ? 'afternoon' : hour < 22 ? 'evening' : 'night');
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/**
 * One formatter per time zone, made once: building an `Intl.DateTimeFormat` costs far more than
 * formatting with it, and a student's patterns format every request they have.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format)
    formatters.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23', weekday: 'long' })));
  return format;
}

/** Local hour and weekday of an instant in an IANA time zone. */
function local(at: Date, timeZone: string) {
  const parts = formatterFor(timeZone).formatToParts(at);
  return { hour: Number(parts.find((p) => p.type === 'hour')!.value), weekday: parts.find((p) => p.type === 'weekday')!.value };
}

/**
 * The label most requests share, when it is a cluster: at least 3 requests and at least half of
 * them. Confidence: that share. Evidence: the requests in it. Null otherwise.
 */
function cluster(requests: RequestPoint[], labels: readonly string[], labelOf: (r: RequestPoint) => string): Cluster | null {
  const groups = new Map(labels.map((l) => [l, [] as string[]]));
  for (const r of requests) groups.get(labelOf(r))!.push(r.id);
  const counts = labels.map((label) => ({ label, count: groups.get(label)!.length }));
  const top = [...counts].sort((a, b) => b.count - a.count)[0]!;
  const share = requests.length ? top.count / requests.length : 0;
  if (top.count < 3 || share < 0.5) return null;
  return { label: top.label, share: round(share), confidence: round(share), evidence: groups.get(top.label)!, counts };
}

export const timeOfDayCluster = (requests: RequestPoint[], timeZone: string) =>
  cluster(requests, PARTS, (r) => partOf(local(r.createdAt, timeZone).hour));
export const dayOfWeekCluster = (requests: RequestPoint[], timeZone: string) =>
  cluster(requests, DAYS, (r) => local(r.createdAt, timeZone).weekday);

export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}
