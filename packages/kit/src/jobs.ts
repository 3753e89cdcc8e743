import { Queue, WaitingError, Worker, type ConnectionOptions, type Job, type JobsOptions as BullJobOptions } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { Counter } from 'prom-client';
import type { Logger } from './logger.ts';
import { metrics, scrapedGauge } from './metrics.ts';
import { currentRequestId, withRequestId } from './request-context.ts';

/** A subgraph's job payload types by job name, e.g. `{ 'webhook.deliver': { deliveryId: string } }`. */
export type JobMap = object;
/** The job map of a subgraph that has no jobs. */
export type NoJobs = Record<never, never>;
export type JobName<M extends JobMap> = keyof M & string;

/** What a handler learns about the run it is in. */
export interface JobRun {
  /** 1 on the first try. */
  attempt: number;
  /** No retry follows this one if it throws. */
  lastAttempt: boolean;
  /** Aborted when the process is shutting down and the job should stop; throwing then releases it to the queue. */
  signal: AbortSignal;
}

/** One kind of job: what it does with its payload, and how it is retried, deduplicated and scheduled. */
export interface JobDefinition<T> {
  run(payload: T, run: JobRun): Promise<void>;
  /** Tries in all before the job fails (1: no retry). A throw schedules the next one. */
  attempts?: number;
  /** Delay before the first retry; each next one doubles it (bullmq's exponential backoff). */
  backoffMs?: number;
  /** Jobs with the same key never run side by side: adding one while another waits or runs is a no-op. */
  key?(payload: T): string;
  /** Adds this job on a cron schedule (e.g. `'0 3 * * *'`), once per schedule across every instance. */
  schedule?: { cron: string; payload: T };
  /** How many jobs this process runs at once (the subgraph's one worker takes the largest of its jobs' values). */
  concurrency?: number;
}

export type JobDefinitions<M extends JobMap> = { [K in JobName<M>]: JobDefinition<M[K]> };

/** A long-running loop beside the server (e.g. a stream consumer): started once serving, stopped first on shutdown. */
export interface BackgroundWorker {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Keys are `pathway:jobs:<subgraph>:…`, in the Redis database of the subgraph's REDIS_URL. */
const PREFIX = 'pathway:jobs';
/**
 * The request that added a job travels in its data under this key (taken off before the handler
 * sees the payload), so the job's log lines name that request. Scheduled jobs get an id of their own.
 */
const REQUEST_ID_KEY = '__requestId';

const jobFailures = new Counter({
  name: 'pathway_job_failures_total',
  help: 'Job runs that threw, by queue and job name; final: no retry follows.',
  labelNames: ['queue', 'job', 'final'] as const,
  registers: [metrics],
});

/** On shutdown, jobs still running after this are asked (their `signal`) to stop and go back to the queue. */
const RELEASE_AFTER_MS = 5_000;

/** bullmq's blocking commands must wait out a Redis restart rather than fail (maxRetriesPerRequest: null). */
const bullConnection = (redisUrl: string, name: string): ConnectionOptions => ({
  url: redisUrl,
  maxRetriesPerRequest: null,
  connectionName: `pathway-${name}-jobs`,
});

export interface JobsOptions {
  redisUrl: string;
  /** The queue's name: one queue per subgraph. */
  subgraph: string;
  log: Logger;
  releaseAfterMs?: number;
}

/**
 * A subgraph's job queue (`add`, always available) and, once `start`ed, its worker and cron schedules.
 * A job is at least once: one a crashed process held is taken back by bullmq's stalled-job check.
 */
export class Jobs<M extends JobMap = NoJobs> {
  private readonly queue: Queue;
  private definitions: Partial<JobDefinitions<M>> = {};
  private worker: Worker | null = null;

  constructor(private readonly options: JobsOptions) {
    this.queue = new Queue(options.subgraph, { prefix: PREFIX, connection: bullConnection(options.redisUrl, options.subgraph) });
    this.queue.on('error', (error) => options.log.warn({ err: error }, 'job queue error'));
  }

  /** The jobs this process runs; their retry and key settings apply to `add`. */
  define(definitions: JobDefinitions<M>): void {
    this.definitions = definitions;
  }

  add<K extends JobName<M>>(name: K, payload: M[K]): Promise<void> {
    return this.addBulk(name, [payload]);
  }

  async addBulk<K extends JobName<M>>(name: K, payloads: readonly M[K][]): Promise<void> {
    if (!payloads.length) return;
    const definition = this.definitionOf(name);
    await this.queue.addBulk(
      payloads.map((payload) => {
        const key = definition.key?.(payload);
        const requestId = currentRequestId();
        const data = requestId && isRecord(payload) ? { ...payload, [REQUEST_ID_KEY]: requestId } : payload;
        return { name, data, opts: { ...retryOptions(definition), ...(key ? { deduplication: { id: `${name}:${key}` } } : {}) } };
      }),
    );
  }

  /** Registers the cron schedules (upserted: restarts and other instances keep one each) and starts the worker. */
  async start(): Promise<void> {
    const definitions = Object.entries(this.definitions) as [string, JobDefinition<unknown>][];
    for (const [name, definition] of definitions)
      if (definition.schedule)
        await this.queue.upsertJobScheduler(
          name,
          { pattern: definition.schedule.cron },
          { name, data: definition.schedule.payload, opts: retryOptions(definition) },
        );
    // A job whose schedule was dropped from the code stops being added.
    for (const scheduler of await this.queue.getJobSchedulers())
      if (!definitions.some(([name, d]) => name === scheduler.key && d.schedule)) await this.queue.removeJobScheduler(scheduler.key);
    if (!definitions.length) return;
    const concurrency = Math.max(...definitions.map(([, d]) => d.concurrency ?? 1));
    // Three parameters: bullmq hands the processor an abort signal only when it declares one.
    this.worker = new Worker(this.options.subgraph, (job, token, signal) => this.process(job, token, signal), {
      prefix: PREFIX,
      connection: bullConnection(this.options.redisUrl, this.options.subgraph),
      concurrency,
    });
    this.worker.on('error', (error) => this.options.log.warn({ err: error }, 'job worker error'));
    this.worker.on('failed', (job, error) => {
      const retried = job && job.attemptsMade < (job.opts.attempts ?? 1);
      jobFailures.inc({ queue: this.options.subgraph, job: job?.name ?? 'unknown', final: retried ? 'false' : 'true' });
      this.options.log[retried ? 'debug' : 'warn'](
        { err: error, job: job?.name, id: job?.id },
        retried ? 'job failed; retrying' : 'job failed',
      );
    });
    await this.worker.waitUntilReady();
  }

  /**
   * Stops taking jobs and waits for the running ones; those still running after `releaseAfterMs` are
   * aborted and, if they throw, moved back to the queue untouched (no attempt used) for another process.
   */
  async stopWorking(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    const release = setTimeout(() => worker.cancelAllJobs('shutting down'), this.options.releaseAfterMs ?? RELEASE_AFTER_MS);
    await worker.close();
    clearTimeout(release);
  }

  /** Exposes the queue's depth by state (`pathway_job_queue_jobs`) on `/metrics`. */
  measure(): void {
    const states = ['waiting', 'active', 'delayed', 'failed'] as const;
    scrapedGauge('pathway_job_queue_jobs', 'Jobs in the queue by state (failed: kept to look at).', ['queue', 'state'], async () => {
      const counts = await this.queue.getJobCounts(...states);
      return states.map((state) => ({ labels: { queue: this.options.subgraph, state }, value: counts[state] ?? 0 }));
    });
  }

  async close(): Promise<void> {
    await this.stopWorking();
    await this.queue.close();
  }

  private definitionOf(name: string): JobDefinition<unknown> {
    const definition = (this.definitions as Record<string, JobDefinition<unknown> | undefined>)[name];
    if (!definition) throw new Error(`no job named ${name} is defined in ${this.options.subgraph}`);
    return definition;
  }

  private async process(job: Job, token: string | undefined, signal: AbortSignal | undefined): Promise<void> {
    const definition = this.definitionOf(job.name);
    const attempt = job.attemptsMade + 1;
    const abort = signal ?? new AbortController().signal;
    const { [REQUEST_ID_KEY]: requestId, ...rest } = isRecord(job.data) ? job.data : {};
    const payload: unknown = isRecord(job.data) ? rest : job.data;
    try {
      await withRequestId(typeof requestId === 'string' ? requestId : `job-${randomUUID()}`, () =>
        definition.run(payload, { attempt, lastAttempt: attempt >= (job.opts.attempts ?? 1), signal: abort }),
      );
    } catch (error) {
      if (!abort.aborted || !token) throw error;
      await job.moveToWait(token);
      throw new WaitingError(); // tells bullmq the job was moved, not failed
    }
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function retryOptions(definition: JobDefinition<unknown>): BullJobOptions {
  return {
    attempts: definition.attempts ?? 1,
    backoff: { type: 'exponential', delay: definition.backoffMs ?? 1_000 },
    // Finished jobs needn't stay in Redis; the last failed ones are kept to look at.
    removeOnComplete: true,
    removeOnFail: 1_000,
  };
}
