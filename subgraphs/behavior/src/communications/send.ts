import { withScope, type JobRun } from '@pathway/kit';
import { publishCommunicationStatusChanged } from '../events.ts';
import type { BehaviorDeps } from '../context.ts';
import type { Channels } from './channels.ts';

/** Errors are kept for administrators (lastError), bounded: a server's answer can be long. */
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

/**
 * One attempt at one message (the `communication.send` job). The row is the truth: only a queued
 * message is tried; each try counts in `attempts`; a throw leaves it queued with the error for the
 * job's next attempt (exponential backoff), and on the job's last attempt marks it failed. Sent and
 * failed publish behavior.communication.status_changed in the same transaction as the status.
 */
export async function sendCommunication(deps: Pick<BehaviorDeps, 'prisma' | 'events'>, channels: Channels, logId: string, run: JobRun) {
  const log = await withScope(deps.prisma, 'service', (tx) =>
    tx.communicationLog.update({
      where: { id: logId, status: 'queued' },
      data: { attempts: { increment: 1 }, lastAttemptAt: new Date() },
      include: { student: { select: { facilityId: true } }, guardian: { select: { userId: true } } },
    }),
  ).catch(() => null); // gone, or no longer queued: nothing to do
  if (!log) return;
  const channel = channels[log.channel as keyof Channels];
  let failure: unknown = null;
  try {
    if (!channel) throw new Error(`no channel named ${log.channel}`);
    await channel.send({ logId: log.id, to: log.recipient, subject: log.subject, body: log.body });
  } catch (error) {
    failure = error;
  }
  const now = new Date();
  const final = !failure || run.lastAttempt;
  await withScope(deps.prisma, 'service', async (tx) => {
    const data = failure
      ? { lastError: errorText(failure), ...(run.lastAttempt ? { status: 'failed', failedAt: now } : {}) }
      : { status: 'sent', sentAt: now };
    const updated = await tx.communicationLog.update({ where: { id: log.id }, data });
    if (final) await publishCommunicationStatusChanged(deps.events.within(tx), updated, log.student.facilityId, log.guardian.userId);
  });
  if (failure) throw failure;
}
