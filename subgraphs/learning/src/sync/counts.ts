/** What a sync run saw and changed; a second run over unchanged data shows only `…Unchanged` and `…Seen`. */
export const ZERO_COUNTS = {
  usersSeen: 0,
  mappingsCreated: 0,
  mappingsMatched: 0,
  mappingsUpdated: 0,
  mappingsUnchanged: 0,
  usersUnmatched: 0,
  coursesSeen: 0,
  coursesCreated: 0,
  coursesUpdated: 0,
  coursesUnchanged: 0,
  /** Courses the provider would not give (removed between pages, unreadable, malformed): skipped, the run completes. */
  coursesFailed: 0,
  enrollmentsCreated: 0,
  enrollmentsUpdated: 0,
  enrollmentsUnchanged: 0,
  enrollmentsSkipped: 0,
  milestonesCreated: 0,
  milestonesUpdated: 0,
  milestonesUnchanged: 0,
  outcomesCreated: 0,
  outcomesUpdated: 0,
  pages: 0,
};

export type SyncCounts = typeof ZERO_COUNTS;

/** Counts kept on a task (a resumed run goes on from them), read back defensively. */
export function countsFrom(stored: unknown): SyncCounts {
  const counts = { ...ZERO_COUNTS };
  if (stored && typeof stored === 'object')
    for (const key of Object.keys(counts) as (keyof SyncCounts)[]) {
      const value = (stored as Record<string, unknown>)[key];
      if (typeof value === 'number' && Number.isFinite(value)) counts[key] = value;
    }
  return counts;
}

/** Where a run is: reading people, then courses, each from a page cursor (null: the first page). */
export type Checkpoint = { phase: 'users' | 'courses'; cursor: string | null };

export function checkpointFrom(stored: unknown): Checkpoint {
  const c = stored as Partial<Checkpoint> | null;
  if (c && (c.phase === 'users' || c.phase === 'courses'))
    return { phase: c.phase, cursor: typeof c.cursor === 'string' ? c.cursor : null };
  return { phase: 'users', cursor: null };
}
