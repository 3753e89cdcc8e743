import { withScope, type JobDefinitions } from '@pathway/kit';
import { channelsFrom } from './communications/channels.ts';
import { sendCommunication } from './communications/send.ts';
import type { BehaviorDeps } from './context.ts';

/** Behavior's background jobs (kit jobs.ts, bullmq). */
export type BehaviorJobs = {
  /** One attempt at one message to a guardian (its communication_logs row is the truth). */
  'communication.send': { logId: string };
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
