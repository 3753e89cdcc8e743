import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { Jobs } from '../src/jobs.ts';
import { createLogger } from '../src/logger.ts';
import { acceptRequestId, currentRequestId, withRequestId } from '../src/request-context.ts';

// The real Redis, on a database of its own (12), with a queue of this test's own.
const REDIS_URL = 'redis://127.0.0.1:6379/12';

/** A logger whose JSON lines land in `lines`. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger('request-context-test', 'info', stream), lines };
}

const queueName = `test-${randomUUID()}`;
afterAll(async () => {
  const queue = new Queue(queueName, { prefix: 'pathway:jobs', connection: { url: REDIS_URL, maxRetriesPerRequest: null } });
  await queue.obliterate({ force: true });
  await queue.close();
});

describe('request context', () => {
  it('puts the request id on every log line written while the request runs, and on none outside it', async () => {
    const { log, lines } = capturingLogger();
    await withRequestId('req-1', async () => {
      log.info('inside');
      await new Promise((r) => setTimeout(r, 5));
      log.info('after a timer');
    });
    log.info('outside');
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual([
      ['inside', 'req-1'],
      ['after a timer', 'req-1'],
      ['outside', undefined],
    ]);
  });

  it('keeps a caller id that looks like an id, and replaces anything else', () => {
    expect(acceptRequestId('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    for (const bad of ['two words', 'Bearer eyJhbGciOi', 'x'.repeat(129), '', undefined])
      expect(acceptRequestId(bad)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a job added during a request runs under that request id, and its handler never sees the id in its payload', async () => {
    const { log, lines } = capturingLogger();
    const payloads: unknown[] = [];
    const jobs = new Jobs<{ note: { n: number } }>({ redisUrl: REDIS_URL, subgraph: queueName, log });
    jobs.define({
      note: {
        run: async (payload) => {
          payloads.push(payload);
          log.info({ during: currentRequestId() }, 'job ran');
        },
      },
    });
    await jobs.start();
    await withRequestId('req-for-job', () => jobs.add('note', { n: 1 }));
    await jobs.add('note', { n: 2 });
    for (let i = 0; i < 100 && lines.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    await jobs.close();
    expect(payloads).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }]));
    const ran = lines.filter((l) => l.msg === 'job ran');
    expect(ran.find((l) => l.requestId === 'req-for-job')).toBeDefined();
    // A job no request added gets an id of its own, so its lines still group.
    expect(ran.find((l) => String(l.requestId).startsWith('job-'))).toBeDefined();
  });
});
