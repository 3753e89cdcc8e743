import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { Jobs, type JobDefinitions, type JobMap } from '../src/jobs.ts';
import { createLogger } from '../src/logger.ts';
import { metrics } from '../src/metrics.ts';

// The real Redis, on a database of its own; every test has a queue of its own.
const REDIS_URL = 'redis://127.0.0.1:6379/13';
const log = createLogger('jobs-test', 'silent');
const opened: Jobs<JobMap>[] = [];
const queues: string[] = [];

function jobsOf<M extends JobMap>(subgraph: string, definitions: JobDefinitions<M>, releaseAfterMs?: number): Jobs<M> {
  const jobs = new Jobs<M>({ redisUrl: REDIS_URL, subgraph, log, releaseAfterMs });
  jobs.define(definitions);
  opened.push(jobs as Jobs<JobMap>);
  return jobs;
}

const newQueue = () => {
  const name = `test-${randomUUID()}`;
  queues.push(name);
  return name;
};

/** The queue as bullmq sees it, to look at its state. */
const inspect = (name: string) => new Queue(name, { prefix: 'pathway:jobs', connection: { url: REDIS_URL, maxRetriesPerRequest: null } });

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

afterAll(async () => {
  await Promise.all(opened.map((jobs) => jobs.close()));
  for (const name of queues) {
    const queue = inspect(name);
    await queue.obliterate({ force: true });
    await queue.close();
  }
});

describe('kit jobs', () => {
  it('retries a failing job with exponential backoff, telling the handler which attempt it is', async () => {
    const runs: { attempt: number; lastAttempt: boolean; at: number }[] = [];
    const jobs = jobsOf<{ flaky: { n: number } }>(newQueue(), {
      flaky: {
        attempts: 3,
        backoffMs: 150,
        async run(_payload, run) {
          runs.push({ attempt: run.attempt, lastAttempt: run.lastAttempt, at: Date.now() });
          if (run.attempt < 3) throw new Error('not yet');
        },
      },
    });
    await jobs.start();
    await jobs.add('flaky', { n: 1 });
    await until(() => runs.length === 3);
    expect(runs.map((r) => [r.attempt, r.lastAttempt])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    // 150 ms before the second try, 300 ms before the third.
    expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(140);
    expect(runs[2]!.at - runs[1]!.at).toBeGreaterThanOrEqual(290);
  });

  it('runs one job per key at a time: adding a key that waits or runs is a no-op', async () => {
    const name = newQueue();
    const started: string[] = [];
    let finish = () => {};
    const finished = new Promise<void>((r) => (finish = r));
    const jobs = jobsOf<{ sync: { account: string } }>(name, {
      sync: {
        key: (p) => p.account,
        concurrency: 5,
        async run(payload) {
          started.push(payload.account);
          if (payload.account === 'a') await finished;
        },
      },
    });
    await jobs.start();
    await jobs.add('sync', { account: 'a' });
    await until(() => started.includes('a'));
    await jobs.addBulk('sync', [{ account: 'a' }, { account: 'a' }, { account: 'b' }]);
    await until(() => started.includes('b'));
    await new Promise((r) => setTimeout(r, 200));
    expect(started.sort()).toEqual(['a', 'b']);
    finish();
    // Once the run of `a` is over, `a` can be added again.
    const queue = inspect(name);
    await until(async () => (await queue.getActiveCount()) === 0);
    await jobs.add('sync', { account: 'a' });
    await until(() => started.length === 3);
    expect(started).toEqual(['a', 'b', 'a']);
    await queue.close();
  });

  it('registers a cron schedule once, however many times (or instances) start it', async () => {
    const name = newQueue();
    const definitions: JobDefinitions<{ nightly: { full: boolean } }> = {
      nightly: { schedule: { cron: '0 3 * * *', payload: { full: true } }, async run() {} },
    };
    for (const jobs of [jobsOf(name, definitions), jobsOf(name, definitions)]) await jobs.start();
    const queue = inspect(name);
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.pattern])).toEqual([['nightly', '0 3 * * *']]);
    // One next run is waiting (delayed until 03:00), not one per start.
    expect(await queue.getDelayedCount()).toBe(1);
    // A start whose code no longer schedules the job removes its schedule.
    await jobsOf<{ nightly: { full: boolean } }>(name, { nightly: { async run() {} } }).start();
    expect(await queue.getJobSchedulers()).toEqual([]);
    await queue.close();
  });

  it('on close lets a short job finish, and releases one still running to the queue for another process', async () => {
    const name = newQueue();
    const runs: string[] = [];
    let shuttingDown = true; // until the second process takes over
    const work: JobDefinitions<{ work: { id: string } }>['work'] = {
      concurrency: 2,
      async run(payload, run) {
        runs.push(payload.id);
        if (payload.id === 'long' && shuttingDown)
          // This run of the long job only ends when shutdown aborts it.
          await new Promise((_, reject) => run.signal.addEventListener('abort', () => reject(new Error('aborted'))));
        else await new Promise((r) => setTimeout(r, 100));
      },
    };
    const first = jobsOf(name, { work }, 300);
    await first.start();
    await first.addBulk('work', [{ id: 'short' }, { id: 'long' }]);
    await until(() => runs.length === 2);
    await first.stopWorking();

    // The short job finished during close (and was removed); the long one waits again, no attempt used up.
    const queue = inspect(name);
    expect(await queue.getFailedCount()).toBe(0);
    const waiting = await queue.getWaiting();
    expect(waiting.map((j) => [j.data, j.attemptsMade])).toEqual([[{ id: 'long' }, 0]]);

    shuttingDown = false;
    await jobsOf(name, { work }).start();
    await until(async () => (await queue.getWaitingCount()) + (await queue.getActiveCount()) === 0);
    expect(runs).toEqual(['short', 'long', 'long']);
    expect(await queue.getFailedCount()).toBe(0);
    await queue.close();
  });

  it('counts every failed run (final or not) and shows the failed job in the queue depth on /metrics', async () => {
    const name = newQueue();
    let runs = 0;
    const jobs = jobsOf<{ doomed: { n: number } }>(name, {
      doomed: {
        attempts: 2,
        backoffMs: 50,
        async run() {
          runs++;
          throw new Error('always fails');
        },
      },
    });
    jobs.measure();
    const sample = async (metric: string, labels: Record<string, string>) => {
      const { values } = await metrics.getSingleMetric(metric)!.get();
      return values.find((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))?.value ?? 0;
    };
    await jobs.start();
    await jobs.add('doomed', { n: 1 });
    await until(async () => (await sample('pathway_job_queue_jobs', { queue: name, state: 'failed' })) === 1);
    expect(runs).toBe(2);
    expect(await sample('pathway_job_failures_total', { queue: name, job: 'doomed', final: 'false' })).toBe(1);
    expect(await sample('pathway_job_failures_total', { queue: name, job: 'doomed', final: 'true' })).toBe(1);
  });
});
