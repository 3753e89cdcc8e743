import { withScope, type JobDefinitions } from '@pathway/kit';
import type { LearningDeps } from './context.ts';
import { contentJobs, type ContentJobs } from './content-jobs.ts';
import { providerSettings } from './providers/settings.ts';
import { identityDirectory } from './sync/people.ts';
import { isDue } from './sync/schedule.ts';
import { runSyncTask, type SyncDeps } from './sync/run.ts';
import { requestSync } from './writes/tasks.ts';

/** Learning's background jobs (kit jobs.ts, bullmq). */
export type LearningJobs = ContentJobs & {
  /** Runs one sync task (its row is the truth: status, checkpoint, counts). */
  'provider.sync': { taskId: string };
  /** Every 5 minutes: a sync task for each enabled platform whose own schedule (cron in its time zone) is due. */
  'provider.sync.due': Record<string, never>;
};

export function syncDeps(deps: LearningDeps): SyncDeps {
  return {
    prisma: deps.prisma,
    events: deps.events,
    settings: providerSettings(deps.config),
    directory: identityDirectory(deps.config.IDENTITY_URL, deps.config.INTERNAL_JWT_SECRET),
    log: deps.log,
  };
}

export function learningJobs(deps: LearningDeps): JobDefinitions<LearningJobs> {
  return {
    ...contentJobs(deps),
    'provider.sync': {
      // One job per task; one active task per platform is the database's rule (tasks_one_active_per_platform).
      key: (payload) => payload.taskId,
      concurrency: 2,
      run: async (payload, run) => void (await runSyncTask(syncDeps(deps), payload.taskId, run.signal)),
    },
    'provider.sync.due': {
      schedule: { cron: '*/5 * * * *', payload: {} },
      run: async () => {
        const now = new Date();
        const platforms = await withScope(deps.prisma, 'service', (tx) =>
          tx.providerPlatform.findMany({ where: { state: 'enabled', accessKeyEncrypted: { not: null }, syncSchedule: { not: null } } }),
        );
        for (const platform of platforms.filter((p) => isDue(p, now))) {
          const task = await withScope(deps.prisma, 'service', async (tx) => {
            // Each occurrence asks once, also when a run is still going (then it is skipped).
            await tx.providerPlatform.update({ where: { id: platform.id }, data: { lastScheduledAt: now } });
            return requestSync(tx, 'service', platform.id, null).catch(() => null);
          });
          if (task) await deps.jobs.add('provider.sync', { taskId: task.id });
        }
      },
    },
  };
}

/** At start: tasks left pending or running (a lost job, a crashed instance) get their job again; the row says where to resume. */
export async function requeueTasks(deps: LearningDeps): Promise<void> {
  const open = await withScope(deps.prisma, 'service', (tx) =>
    tx.task.findMany({ where: { status: { in: ['pending', 'running'] } }, select: { id: true } }),
  );
  if (open.length)
    await deps.jobs.addBulk(
      'provider.sync',
      open.map((t) => ({ taskId: t.id })),
    );
}
