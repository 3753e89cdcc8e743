import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OUTBOX_IDLE_POLL_MAX_MS, OutboxRelay, type PendingEvents } from '../src/outbox.ts';
import type { Logger } from '../src/logger.ts';

// The relay's poll backs off while idle and is brisk again after a local write or while events flow.
// The place is a stand-in counting polls (no database): only the timing is under test here;
// test/outbox.test.ts covers publishing through the real outbox.
function place(answers: () => number): PendingEvents & { polls: number } {
  const p = {
    name: 'stand-in',
    polls: 0,
    async relayBatch() {
      p.polls++;
      return answers();
    },
    async backlog() {
      return { pending: 0, oldestAt: null };
    },
  };
  return p;
}

const log = { warn() {} } as unknown as Logger;
let relay: OutboxRelay | null = null;
beforeEach(() => vi.useFakeTimers());
afterEach(async () => {
  await relay?.stop();
  vi.useRealTimers();
});

describe('outbox relay polling', () => {
  it('backs off to a few seconds between polls when nothing waits', async () => {
    const idle = place(() => 0);
    relay = new OutboxRelay({} as Redis, 'test', [idle], log);
    relay.start();
    await vi.advanceTimersByTimeAsync(20_000);
    // A fixed 200 ms poll would have polled 100 times; doubling from 200 ms to 3.2 s polls 10 times.
    expect(idle.polls).toBeLessThanOrEqual(11);
    expect(idle.polls).toBeGreaterThanOrEqual(6);
    expect(relay.pollDelayMs).toBe(OUTBOX_IDLE_POLL_MAX_MS);
  });

  it('drains at once on a kick and polls briskly again after it', async () => {
    let waiting = 0;
    const outbox = place(() => (waiting ? waiting-- : 0));
    relay = new OutboxRelay({} as Redis, 'test', [outbox], log);
    relay.start();
    await vi.advanceTimersByTimeAsync(20_000);
    const before = outbox.polls;
    waiting = 1;
    await relay.kick();
    expect(outbox.polls).toBe(before + 1);
    expect(waiting).toBe(0);
    expect(relay.pollDelayMs).toBe(200);
    // An event committed just after the kick's drain looked is taken by the next quick poll, not seconds later.
    waiting = 1;
    await vi.advanceTimersByTimeAsync(250);
    expect(waiting).toBe(0);
  });

  it('keeps polling every 200 ms while events keep coming', async () => {
    const busy = place(() => 1);
    relay = new OutboxRelay({} as Redis, 'test', [busy], log);
    relay.start();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(busy.polls).toBeGreaterThanOrEqual(10);
    expect(relay.pollDelayMs).toBe(200);
  });
});
