import { withScope, type EventPublisher, type Logger } from '@pathway/kit';
import { Prisma, type PrismaClient, type Task } from '../generated/prisma/client.ts';
import { publishSyncFinished } from '../events.ts';
import { describeProviderError, ProviderError } from '../providers/errors.ts';
import { clientFor } from '../providers/index.ts';
import type { ProviderSettings } from '../providers/settings.ts';
import { checkpointFrom, countsFrom, type Checkpoint, type SyncCounts } from './counts.ts';
import { writeCourse } from './courses.ts';
import type { PersonDirectory } from './people.ts';
import { mappedPeople, mappingsOf, toMatch, writeUsersPage } from './users.ts';

export interface SyncDeps {
  prisma: PrismaClient;
  events: EventPublisher;
  settings: ProviderSettings;
  directory: PersonDirectory;
  log?: Logger;
  /** Called after each page's checkpoint is committed (tests use it to stop a run half-way, as a crash would). */
  afterCheckpoint?(checkpoint: Checkpoint): Promise<void> | void;
}

const asService = <R>(deps: SyncDeps, fn: (tx: Prisma.TransactionClient) => Promise<R>) => withScope(deps.prisma, 'service', fn);

class Cancelled extends Error {}

/** Failures of one course, not of the platform: the run goes on and ends `completed` with them counted. */
const COURSE_LEVEL = new Set<string>(['not_found', 'forbidden', 'malformed']);
const MAX_FAILURES_KEPT = 5;

/** A completed run's note on the courses it skipped: how many, and the first few reasons. */
function describeFailures(failures: { kind: string; message: string }[], total: number) {
  const more = total > failures.length ? `; and ${total - failures.length} more` : '';
  return {
    kind: failures[0]!.kind,
    message: `completed with ${total} course${total === 1 ? '' : 's'} not synced: ${failures.map((f) => f.message).join('; ')}${more}`,
  };
}

/**
 * Runs one sync task to its end: people first (provider user mappings), then courses, page by page.
 * After every page the cursor of the next one is committed with that page's writes (the task's
 * checkpoint), so a run taken over after a crash, or the next run after a failure, starts there.
 * Each course is written whole in one transaction after its progress was read. A provider error
 * ends the task `failed` with a readable error; what earlier pages wrote stays. A cancel request is
 * honoured between courses. When the worker is shutting down (`signal`), the task stays `running`
 * and the error is thrown, so the job goes back to the queue and resumes from the checkpoint.
 */
export async function runSyncTask(deps: SyncDeps, taskId: string, signal?: AbortSignal): Promise<Task | null> {
  const task = await claim(deps, taskId);
  if (!task) return null;
  const counts = countsFrom(task.result);
  let checkpoint = checkpointFrom(task.checkpoint);
  const failures: { kind: string; message: string }[] = [];
  try {
    const platform = await asService(deps, (tx) =>
      tx.providerPlatform.findUniqueOrThrow({ where: { id: task.providerPlatformId }, omit: { accessKeyEncrypted: false } }),
    );
    if (platform.state !== 'enabled') throw new ProviderError('forbidden', `the platform is ${platform.state}: enable it to sync`);
    const client = clientFor(platform, deps.settings, signal);
    const save = async (tx: Prisma.TransactionClient, next: Checkpoint) => {
      counts.pages++;
      await tx.task.update({ where: { id: task.id }, data: { checkpoint: next, result: counts } });
    };
    const advance = async (next: Checkpoint) => {
      checkpoint = next;
      await deps.afterCheckpoint?.(next);
      if (await cancelRequested(deps, task.id)) throw new Cancelled();
    };

    while (checkpoint.phase === 'users') {
      const page = await client.users(checkpoint.cursor);
      const stored = await asService(deps, (tx) => mappingsOf(tx, platform.id, page.items));
      const matches = await deps.directory.match(platform.tenantId, toMatch(page.items, stored));
      const next: Checkpoint = page.next ? { phase: 'users', cursor: page.next } : { phase: 'courses', cursor: null };
      await asService(deps, async (tx) => {
        await writeUsersPage(tx, platform, page.items, matches, counts);
        await save(tx, next);
      });
      await advance(next);
    }

    const people = await asService(deps, (tx) => mappedPeople(tx, platform.id));
    for (;;) {
      const page = await client.courses(checkpoint.cursor);
      for (const course of page.items) {
        counts.coursesSeen++;
        let progress;
        try {
          progress = await client.courseProgress(course.externalId);
        } catch (error) {
          // One course the provider will not give (removed between pages, not readable, a malformed
          // answer) is counted and skipped; the platform failing as a whole still ends the run.
          if (!(error instanceof ProviderError) || !COURSE_LEVEL.has(error.kind)) throw error;
          counts.coursesFailed++;
          if (failures.length < MAX_FAILURES_KEPT)
            failures.push({ kind: error.kind, message: `course ${course.externalId} (${course.name}): ${error.message}` });
          continue;
        }
        await asService(deps, async (tx) => {
          // A first sync publishes an event per completed milestone: one outbox statement per course.
          const events = deps.events.batched(tx);
          await writeCourse(tx, events, platform, course, progress, people, counts);
          await events.flush();
        });
        if (await cancelRequested(deps, task.id)) throw new Cancelled();
      }
      if (!page.next) break;
      const next: Checkpoint = { phase: 'courses', cursor: page.next };
      await asService(deps, (tx) => save(tx, next));
      await advance(next);
    }
    return await finish(deps, task, 'completed', counts, failures.length ? describeFailures(failures, counts.coursesFailed) : null);
  } catch (error) {
    if (signal?.aborted) throw error; // shutting down: back to the queue, resumed from the checkpoint
    if (error instanceof Cancelled) return finish(deps, task, 'cancelled', counts, null);
    const described = describeProviderError(error);
    if (described.kind === 'internal') deps.log?.error({ err: error, taskId }, 'sync task failed unexpectedly');
    return finish(deps, task, 'failed', counts, described, checkpoint);
  }
}

/** Marks a pending (or taken-over running) task running; null when it has ended or was cancelled while waiting. */
async function claim(deps: SyncDeps, taskId: string): Promise<Task | null> {
  return asService(deps, async (tx) => {
    await tx.$queryRaw`SELECT id FROM tasks WHERE id = ${taskId}::uuid FOR UPDATE`;
    const task = await tx.task.findUnique({ where: { id: taskId } });
    if (!task || (task.status !== 'pending' && task.status !== 'running')) return null;
    return tx.task.update({ where: { id: taskId }, data: { status: 'running', startedAt: task.startedAt ?? new Date() } });
  });
}

async function cancelRequested(deps: SyncDeps, taskId: string): Promise<boolean> {
  const task = await asService(deps, (tx) => tx.task.findUnique({ where: { id: taskId }, select: { cancelRequestedAt: true } }));
  return task?.cancelRequestedAt != null;
}

/** Ends the task with its counts (and, when it failed, the error and where to resume); publishes `learning.sync.finished`. */
function finish(
  deps: SyncDeps,
  task: Task,
  status: 'completed' | 'failed' | 'cancelled',
  counts: SyncCounts,
  error: { kind: string; message: string } | null,
  checkpoint: Checkpoint | null = null,
) {
  return asService(deps, async (tx) => {
    const ended = await tx.task.update({
      where: { id: task.id },
      data: {
        status,
        result: counts,
        error: error?.message ?? null,
        errorKind: error?.kind ?? null,
        // A failed run keeps where it stopped: the next run of the platform resumes there.
        checkpoint: checkpoint ?? Prisma.DbNull,
        finishedAt: new Date(),
      },
    });
    await publishSyncFinished(deps.events.within(tx), ended, counts);
    return ended;
  });
}
