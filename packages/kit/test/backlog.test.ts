// What `/metrics` reports of the event pipeline's backlogs, measured on real services: a MongoDB
// document outbox (here packages/mongo-wire, not mongod) and a consumer group of the Redis stream.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoWireServer, type MongoWireServer } from '../../mongo-wire/src/index.ts';
import { documentOutbox } from '../src/document-outbox.ts';
import { EVENT_STREAM, StreamGroup, streamGroupBacklogs, type StreamEntry } from '../src/stream.ts';

// The real Redis, on the database the kit's tests use (jobs.test.ts too); every group is new.
const REDIS_URL = 'redis://127.0.0.1:6379/13';
let wire: MongoWireServer;
let mongo: MongoClient;
let redis: Redis;
const groups: string[] = [];

beforeAll(async () => {
  wire = await startMongoWireServer();
  mongo = await MongoClient.connect(wire.url);
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  for (const group of groups) await redis.xgroup('DESTROY', EVENT_STREAM, group).catch(() => {});
  redis.disconnect();
  await mongo.close();
  await wire.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('document outbox backlog (mongo-wire)', () => {
  it('counts the events waiting on documents and finds the oldest, across documents', async () => {
    const collection = mongo.db('backlog_test').collection<{ _id: string; pendingEvents?: unknown[] }>(`assets_${randomUUID()}`);
    const outbox = documentOutbox(mongo.db('backlog_test'), collection.collectionName);
    await outbox.ensureIndex();
    expect(await outbox.backlog()).toEqual({ pending: 0, oldestAt: null });

    const event = (at: string) => ({ id: randomUUID(), at: new Date(at), event: { type: 'market.asset.transferred' } });
    await collection.insertMany([
      { _id: 'a', pendingEvents: [event('2026-01-01T10:00:00Z'), event('2026-01-01T10:05:00Z')] },
      { _id: 'b', pendingEvents: [event('2026-01-01T09:00:00Z')] },
      { _id: 'c' }, // nothing pending
    ]);
    expect(outbox.name).toBe(`mongo:${collection.collectionName}`);
    expect(await outbox.backlog()).toEqual({ pending: 3, oldestAt: new Date('2026-01-01T09:00:00Z') });
  });
});

describe('stream consumer group backlog', () => {
  it('says how many entries no member read yet, how many wait for an acknowledgement, and how old the oldest unread is', async () => {
    const name = `backlog-test-${randomUUID()}`;
    groups.push(name);
    const seen: string[] = [];
    const group = new StreamGroup(redis, {
      group: name,
      consumer: 'c1',
      batch: 10,
      // Never acknowledged: the entries stay pending.
      onEntry: async ([id]: StreamEntry) => {
        seen.push(id);
        throw new Error('not handled');
      },
      onError: () => {},
    });
    // Created at the stream's end, then two entries (of no catalog type: nothing else acts on them).
    await redis.xgroup('CREATE', EVENT_STREAM, name, '$', 'MKSTREAM');
    const first = (await redis.xadd(EVENT_STREAM, '*', 'event', '{"type":"backlog.test"}'))!;
    await redis.xadd(EVENT_STREAM, '*', 'event', '{"type":"backlog.test"}');
    await sleep(1_100);
    const before = await group.backlog();
    expect(before.undelivered).toBeGreaterThanOrEqual(2);
    expect(before.pending).toBe(0);
    expect(before.lagSeconds).toBeGreaterThanOrEqual(1);

    const reader = await group.start(new Redis(REDIS_URL));
    expect((await streamGroupBacklogs()).map((b) => b.group)).toContain(name);
    for (let i = 0; i < 100 && !seen.length; i++) await sleep(20);
    expect(seen[0]).toBe(first);
    const after = (await streamGroupBacklogs()).find((b) => b.group === name)!;
    expect(after.pending).toBeGreaterThanOrEqual(2); // read in one batch, neither acknowledged
    expect(after.lagSeconds).toBeLessThan(before.lagSeconds); // both read: nothing that old is unread
    await reader.stop();
    // A group no longer read is no longer measured.
    expect((await streamGroupBacklogs()).map((b) => b.group)).not.toContain(name);
  });
});
