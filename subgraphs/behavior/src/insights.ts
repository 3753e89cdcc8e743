import type { studentPatterns } from './data/patterns.ts';

/**
 * What is stored of a student's patterns (behavior_insights): one insight per pattern, with a
 * headline (a trend's direction, a cluster's label, or "none") whose change is the news
 * (behavior.insight.changed), a one-line summary a person can read, and the pattern itself.
 */
export type Patterns = Awaited<ReturnType<typeof studentPatterns>>;
export const INSIGHT_TYPES = ['request_trend', 'mood_trajectory', 'time_of_day', 'day_of_week'] as const;
export type InsightType = (typeof INSIGHT_TYPES)[number];

export interface ComputedInsight {
  insightType: InsightType;
  headline: string;
  summary: string;
  confidence: number;
  data: Record<string, unknown>;
}

export function insightsOf(p: Patterns): ComputedInsight[] {
  const window = { windowStart: p.windowStart.toISOString(), windowEnd: p.windowEnd.toISOString(), timezone: p.timezone };
  const trend = (insightType: InsightType, what: string, t: Patterns['trend']): ComputedInsight => ({
    insightType,
    headline: t.direction,
    summary:
      t.direction === 'insufficient_data'
        ? `${what}: too little data (${t.sampleSize}).`
        : `${what}: ${t.direction} (${t.statistic} ${t.slope}, r ${t.correlation}, n ${t.sampleSize}).`,
    confidence: t.confidence,
    data: { ...window, ...t },
  });
  const cluster = (insightType: InsightType, what: string, c: Patterns['timeOfDay']): ComputedInsight => ({
    insightType,
    headline: c?.label ?? 'none',
    summary: c ? `${what}: ${c.label} (${Math.round(c.share * 100)}% of ${p.requestCount} requests).` : `${what}: no cluster.`,
    confidence: c?.confidence ?? 0,
    data: { ...window, ...(c ?? { counts: [] }), evidence: c?.evidence ?? [] },
  });
  return [
    trend('request_trend', 'Requests per week', p.trend),
    trend('mood_trajectory', 'Mood in reflections', p.moodTrajectory),
    cluster('time_of_day', 'Time of day', p.timeOfDay),
    cluster('day_of_week', 'Day of week', p.dayOfWeek),
  ];
}

/** A first computation is news only when it says something. */
export const isNews = (headline: string, previous: string | null) =>
  previous === null ? !['insufficient_data', 'none'].includes(headline) : headline !== previous;
