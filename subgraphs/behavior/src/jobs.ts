import { withScope, type JobDefinitions } from '@pathway/kit';
import { channelsFrom } from './communications/channels.ts';
import { sendCommunication } from './communications/send.ts';
import type { BehaviorDeps } from './context.ts';
import { recomputeInsights, studentsWithRecentHistory } from './data/insights.ts';
import { runStudentImport, unfinishedImports } from './writes/import/job.ts';

/** Behavior's background jobs (kit jobs.ts, bullmq). */
export type BehaviorJobs = {
  /** One attempt at one message to a guardian (its communication_logs row is the truth). */
  'communication.send': { logId: string };
  /** Recomputes and stores one student's insights (after a request or reflection changes). */
  'insights.recompute': { studentId: string };
  /** Nightly (BEHAVIOR_INSIGHTS_CRON): an insights.recompute for every student with recent history, as the window moves on. */
  'insights.recompute.due': Record<string, never>;
  /** A CSV import started by startStudentImport, chunk by chunk (its student_imports row is the truth). */
  'students.import': { importId: string };
};

export function behaviorJobs(deps: BehaviorDeps): JobDefinitions<BehaviorJobs> {
  const channels = channelsFrom(deps.config, deps.log);
  return {
    'communication.send': {
      key: (payload) => payload.logId,
      attempts: deps.config.BEHAVIOR_COMMUNICATION_ATTEMPTS,
      backoffMs: deps.config.BEHAVIOR_COMMUNICATION_BACKOFF_MS,
      concurrency: 4,
      run: (payload, run) => sendCommunication(deps, channels, payload.logId, run),
    },
    'insights.recompute': {
      // No key: a run already going may have read the data before the latest change, so every change
      // gets its own run (runs for one student take turns: recomputeInsights locks).
      attempts: 3,
      backoffMs: 1_000,
      concurrency: 2,
      run: (payload) => recomputeInsights(deps, payload.studentId),
    },
    'students.import': {
      key: (payload) => payload.importId,
      // A retry resumes after the last committed chunk.
      attempts: 3,
      backoffMs: 2_000,
      run: (payload, run) => runStudentImport(deps, payload.importId, run),
    },
    'insights.recompute.due': {
      schedule: deps.config.BEHAVIOR_INSIGHTS_CRON === 'off' ? undefined : { cron: deps.config.BEHAVIOR_INSIGHTS_CRON, payload: {} },
      run: async () => {
        const ids = await studentsWithRecentHistory(deps);
        await deps.jobs.addBulk(
          'insights.recompute',
          ids.map((studentId) => ({ studentId })),
        );
      },
    },
  };
}

/** At start: messages left queued (a job lost with a crashed process, or added after a commit that the process did not outlive) get their job again. */
export async function requeueCommunications(deps: BehaviorDeps): Promise<void> {
  const queued = await withScope(deps.prisma, 'service', (tx) =>
    tx.communicationLog.findMany({ where: { status: 'queued' }, select: { id: true } }),
  );
  await deps.jobs.addBulk(
    'communication.send',
    queued.map((l) => ({ logId: l.id })),
  );
}

/** At start: imports left queued or running (a process stopped mid-way) get their job again. */
export async function requeueImports(deps: BehaviorDeps): Promise<void> {
  await deps.jobs.addBulk(
    'students.import',
    (await unfinishedImports(deps)).map((importId) => ({ importId })),
  );
}
