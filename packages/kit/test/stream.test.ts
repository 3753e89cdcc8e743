import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../src/events.ts';
import {
  EVENT_STREAM,
  STREAM_MAX_LENGTH,
  appendOnce,
  compareCursors,
  envelope,
  parseStreamEntry,
  tailStream,
  type StreamEntry,
} from '../src/stream.ts';

const event: DomainEvent = {
  type: 'campus.enrollment.changed',
  tenantId: 't1',
  facilityId: 'f1',
  userId: 'u1',
  entityId: 'e1',
  payload: { classId: 'c1', status: 'enrolled', previousStatus: null },
};

describe('stream append and parse', () => {
  it('appends one `event` field to the bounded stream, guarded by a key set in the same script', async () => {
    const calls: unknown[][] = [];
    const redis = { eval: async (...args: unknown[]) => void calls.push(args) } as unknown as Redis;
    await appendOnce(redis, 'guard:1', '{"x":1}', 60);
    const [script, keys, guard, stream, body, ttl, maxLength] = calls[0]!;
    expect(String(script)).toMatch(/SET.*NX.*XADD.*MAXLEN.*'event'/);
    expect([keys, guard, stream, body, ttl, maxLength]).toEqual([2, 'guard:1', EVENT_STREAM, '{"x":1}', 60, STREAM_MAX_LENGTH]);
  });

  it('reads back an envelope as the event, its source and time, with the entry id as cursor', () => {
    const body = envelope(event, 'campus');
    expect(body.source).toBe('campus');
    expect(Date.parse(body.occurredAt)).not.toBeNaN();
    expect(parseStreamEntry('7-1', ['event', JSON.stringify(body)])).toEqual({ ...body, cursor: '7-1' });
  });

  it('gives null for an entry with no readable event of a catalog type', () => {
    expect(parseStreamEntry('1-0', null)).toBeNull(); // deleted while pending
    expect(parseStreamEntry('1-0', ['other', '{}'])).toBeNull();
    expect(parseStreamEntry('1-0', ['event', '{not json'])).toBeNull();
    expect(parseStreamEntry('1-0', ['event', 'null'])).toBeNull();
    expect(parseStreamEntry('1-0', ['event', JSON.stringify({ ...event, type: 'market.listing.sold' })])).toBeNull();
  });

  it('orders cursors numerically', () => {
    expect(compareCursors('10-0', '9-5')).toBeGreaterThan(0);
    expect(compareCursors('9-10', '9-9')).toBeGreaterThan(0);
    expect(compareCursors('9-1', '9-1')).toBe(0);
    expect(['10-0', '9-2', '9-10'].sort(compareCursors)).toEqual(['9-2', '9-10', '10-0']);
  });
});

describe('tailStream', () => {
  it('reads on after a failed read, from the last entry it handled, until stopped', async () => {
    const reads: string[] = [];
    let disconnected = false;
    const batches: (Error | StreamEntry[])[] = [new Error('connection lost'), [['2-0', ['event', '{}']]], [['3-0', ['event', '{}']]]];
    const blocking = {
      async xread(...args: unknown[]) {
        reads.push(String(args.at(-1)));
        const next = batches.shift();
        if (next instanceof Error) throw next;
        if (next) return [[EVENT_STREAM, next]];
        await new Promise((resolve) => setTimeout(resolve, 20));
        return null;
      },
      disconnect: () => (disconnected = true),
    } as unknown as Redis;
    const handled: string[] = [];
    const errors: unknown[] = [];
    const reader = tailStream(
      blocking,
      '1-0',
      async ([id]) => void handled.push(id),
      (error) => errors.push(error),
    );
    await expect.poll(() => handled, { timeout: 3_000 }).toEqual(['2-0', '3-0']);
    await reader.stop();
    expect(disconnected).toBe(true);
    expect(errors).toHaveLength(1);
    expect(reads.slice(0, 4)).toEqual(['1-0', '1-0', '2-0', '3-0']);
  });
});
