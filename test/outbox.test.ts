import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EVENT_STREAM, connectRedis, type Redis } from '@pathway/kit';

// The transactional outbox: an event committed to a subgraph's outbox reaches the Redis stream even
// when the process that committed it never published it (a crash between commit and publish).
let db: pg.Client;
let redis: Redis;
beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
  redis = connectRedis(inject('redisUrl'), 'outbox-test');
});
afterAll(async () => {
  await db.end();
  redis.disconnect();
});

async function streamHas(marker: string): Promise<number> {
  const entries = (await redis.xrevrange(EVENT_STREAM, '+', '-', 'COUNT', 500)) as [string, string[]][];
  return entries.filter(([, fields]) => fields[1]?.includes(marker)).length;
}

describe('transactional outbox', () => {
  it('publishes a committed outbox row exactly once, though nobody asked for it after the commit', async () => {
    const marker = randomUUID();
    const event = {
      type: 'campus.test.outbox',
      tenantId: randomUUID(),
      entityId: marker,
      source: 'campus',
      occurredAt: new Date().toISOString(),
    };
    await db.query('INSERT INTO campus.outbox_events (tenant_id, event) VALUES ($1, $2::jsonb)', [event.tenantId, JSON.stringify(event)]);
    await expect.poll(() => streamHas(marker), { timeout: 10_000, interval: 100 }).toBe(1);
    await expect
      .poll(async () => Number((await db.query('SELECT count(*) AS n FROM campus.outbox_events')).rows[0].n), { timeout: 5_000 })
      .toBe(0);
    await new Promise((r) => setTimeout(r, 500)); // a later poll must not publish it again
    expect(await streamHas(marker)).toBe(1);
  });

  it('publishes nothing for a transaction that rolled back', async () => {
    const marker = randomUUID();
    await db.query('BEGIN');
    const tenantId = randomUUID();
    await db.query('INSERT INTO campus.outbox_events (tenant_id, event) VALUES ($1, $2::jsonb)', [
      tenantId,
      JSON.stringify({ type: 'campus.test.outbox', tenantId, entityId: marker }),
    ]);
    await db.query('ROLLBACK');
    await new Promise((r) => setTimeout(r, 800)); // several relay polls
    expect(await streamHas(marker)).toBe(0);
  });
});
