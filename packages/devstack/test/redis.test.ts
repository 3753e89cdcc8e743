import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveRedis } from '../src/index.ts';
import { findOnPath } from '../src/util.ts';
import { canConnect, collectLog, exchange, portOf, snapshotEnv, unsetEnv } from './helpers.ts';

/** RESP: `*1\r\n$4\r\nPING\r\n` → `+PONG\r\n`. */
async function ping(port: number): Promise<string> {
  const reply = await exchange(port, '*1\r\n$4\r\nPING\r\n', (b) => b.includes('\r\n'));
  return reply.toString('utf8');
}

describe('resolveRedis', { timeout: 60_000 }, () => {
  let restoreEnv: () => void;
  beforeEach(() => {
    restoreEnv = snapshotEnv();
    unsetEnv('REDIS_URL');
  });
  afterEach(() => restoreEnv());

  it('returns REDIS_URL untouched when set', async () => {
    process.env['REDIS_URL'] = 'redis://:hunter2@cache.example:6380/3';
    const { log, lines } = collectLog();
    const redis = await resolveRedis({ log });
    expect(redis).toMatchObject({ url: 'redis://:hunter2@cache.example:6380/3', source: 'env' });
    await redis.stop();
    expect(lines.join('\n')).toContain('REDIS_URL');
    expect(lines.join('\n')).not.toContain('hunter2');
  });

  it("starts redis-memory-server with the machine's redis-server, which answers PING, and stops it", async () => {
    const systemBinary = await findOnPath('redis-server');
    // This machine is expected to have one; without it the embedded path would try to build Redis.
    expect(systemBinary, 'redis-server must be on PATH for this test').toBeDefined();
    unsetEnv('REDISMS_SYSTEM_BINARY');

    const { log, lines } = collectLog();
    const redis = await resolveRedis({ log });
    try {
      expect(redis.source).toBe('embedded');
      expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
      expect(lines.some((l) => l.includes(`with ${systemBinary}`))).toBe(true);
      expect(await ping(portOf(redis.url))).toBe('+PONG\r\n');
    } finally {
      await redis.stop();
    }
    expect(await canConnect(portOf(redis.url))).toBe(false);
    await redis.stop(); // idempotent
  });

  it('fails with a message naming REDIS_URL when redis-server cannot start', async () => {
    process.env['REDISMS_SYSTEM_BINARY'] = '/bin/false';
    await expect(resolveRedis()).rejects.toThrow(/REDIS_URL/);
  });
});
