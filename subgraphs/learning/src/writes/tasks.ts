import { conflict, notFound, reachOf, tenantFilter, uuidArg, uniqueViolation, type Identity } from '@pathway/kit';
import type { Prisma, Task } from '../generated/prisma/client.ts';
import { lockPlatform } from './providers.ts';

type Tx = Prisma.TransactionClient;

export const SYNC_TASK = 'provider.sync';
/** Priorities (seed 001 tasks: lower runs first): an administrator's request before a scheduled run. */
export const PRIORITY = { requested: 1, scheduled: 5 } as const;

const inProgress = (taskId: string | null) =>
  conflict('A sync of this provider platform is already pending or running.', { reason: 'SYNC_IN_PROGRESS', taskId });

/**
 * A pending sync task for the platform (the caller then enqueues its job). Refused while another is
 * pending or running (the partial unique index decides under concurrency too) and for a platform
 * that is not enabled. A run after a failed one resumes from where that one stopped.
 */
export async function requestSync(tx: Tx, identity: Identity | 'service', platformId: string, requestedBy: string | null): Promise<Task> {
  const platform =
    identity === 'service'
      ? await tx.providerPlatform.findUniqueOrThrow({ where: { id: platformId } })
      : await lockPlatform(tx, identity, platformId);
  if (platform.state !== 'enabled')
    throw conflict(`The provider platform is ${platform.state}: enable it to sync.`, { reason: 'PLATFORM_NOT_ENABLED' });
  const active = await tx.task.findFirst({
    where: { providerPlatformId: platform.id, status: { in: ['pending', 'running'] } },
    select: { id: true },
  });
  if (active) throw inProgress(active.id);
  const last = await tx.task.findFirst({ where: { providerPlatformId: platform.id }, orderBy: { createdAt: 'desc' } });
  const resumeFrom = last?.status === 'failed' && last.checkpoint ? { checkpoint: last.checkpoint, payload: { resumedFrom: last.id } } : {};
  try {
    // A savepoint, so a lost race with another request ends in CONFLICT rather than an aborted transaction.
    await tx.$executeRawUnsafe('SAVEPOINT request_sync');
    const task = await tx.task.create({
      data: {
        tenantId: platform.tenantId,
        providerPlatformId: platform.id,
        type: SYNC_TASK,
        priority: requestedBy ? PRIORITY.requested : PRIORITY.scheduled,
        requestedBy,
        ...resumeFrom,
      },
    });
    await tx.$executeRawUnsafe('RELEASE SAVEPOINT request_sync');
    return task;
  } catch (error) {
    if (!uniqueViolation(error)) throw error;
    await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT request_sync');
    throw inProgress(null);
  }
}

/** The task, if the caller's reach covers its tenant (tasks are tenant administration). */
async function lockTask(tx: Tx, identity: Identity, id: string): Promise<Task> {
  const taskId = uuidArg(id, 'id')!;
  await tx.$queryRaw`SELECT id FROM tasks WHERE id = ${taskId}::uuid FOR UPDATE`;
  const task = await tx.task.findFirst({ where: { AND: [{ id: taskId }, tenantFilter(identity)] } });
  if (!task) throw notFound('The task');
  if (reachOf(identity) === 'facility') await lockPlatform(tx, identity, task.providerPlatformId);
  return task;
}

/** A pending task ends cancelled at once; a running one is asked to stop (it ends cancelled between courses). */
export async function cancelSync(tx: Tx, identity: Identity, id: string): Promise<Task> {
  const task = await lockTask(tx, identity, id);
  if (task.status !== 'pending' && task.status !== 'running')
    throw conflict(`A ${task.status} task cannot be cancelled.`, {
      reason: 'INVALID_TRANSITION',
      from: task.status,
      to: 'cancelled',
      allowed: [],
    });
  if (task.cancelRequestedAt) throw conflict('Cancelling this task was already requested.', { reason: 'ALREADY_IN_STATE' });
  const now = new Date();
  return tx.task.update({
    where: { id: task.id },
    data: task.status === 'pending' ? { status: 'cancelled', cancelRequestedAt: now, finishedAt: now } : { cancelRequestedAt: now },
  });
}
