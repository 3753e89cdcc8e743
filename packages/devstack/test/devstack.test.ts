import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgresDataDir, redact, startDevServices } from '../src/index.ts';
import { canConnect, collectLog, exchange, mongoPing, portOf, snapshotEnv, tempStateDir, unsetEnv } from './helpers.ts';

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

describe('startDevServices', { timeout: 120_000 }, () => {
  let restoreEnv: () => void;
  let state: Awaited<ReturnType<typeof tempStateDir>>;

  beforeEach(async () => {
    restoreEnv = snapshotEnv();
    unsetEnv('DATABASE_URL', 'REDIS_URL', 'MONGODB_URL', 'MONGOMS_SYSTEM_BINARY', 'PATHWAY_MONGO_DOWNLOAD', 'REDISMS_SYSTEM_BINARY');
    state = await tempStateDir();
  });

  afterEach(async () => {
    restoreEnv();
    await state.cleanup();
  });

  it('starts all three locally when no URLs are given, and stops them all', async () => {
    const { log, lines } = collectLog();
    const dev = await startDevServices({ stateDir: state.dir, log });
    try {
      expect(dev.sources.postgres).toBe('embedded');
      expect(dev.sources.redis).toBe('embedded');
      expect(['mongo-wire', 'mongodb-memory-server']).toContain(dev.sources.mongo);

      const client = new pg.Client({ connectionString: dev.databaseUrl });
      await client.connect();
      expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
      await client.end();
      const pong = await exchange(portOf(dev.redisUrl), '*1\r\n$4\r\nPING\r\n', (b) => b.includes('\r\n'));
      expect(pong.toString()).toBe('+PONG\r\n');
      expect(await mongoPing(portOf(dev.mongoUrl))).toBe(1);
      expect(lines.some((l) => l.startsWith('devstack: ready'))).toBe(true);
    } finally {
      await dev.stop();
    }
    for (const url of [dev.databaseUrl, dev.redisUrl, dev.mongoUrl]) expect(await canConnect(portOf(url)), redact(url)).toBe(false);
    await dev.stop(); // idempotent
  });

  it('uses the given URLs untouched and starts nothing', async () => {
    process.env['DATABASE_URL'] = 'postgresql://ci:pw@127.0.0.1:5432/test';
    process.env['REDIS_URL'] = 'redis://127.0.0.1:6379';
    process.env['MONGODB_URL'] = 'mongodb://127.0.0.1:27017/test';
    const dev = await startDevServices({ stateDir: state.dir });
    expect(dev).toMatchObject({
      databaseUrl: 'postgresql://ci:pw@127.0.0.1:5432/test',
      redisUrl: 'redis://127.0.0.1:6379',
      mongoUrl: 'mongodb://127.0.0.1:27017/test',
      sources: { postgres: 'env', redis: 'env', mongo: 'env' },
    });
    await dev.stop();
    expect(await readdir(state.dir)).toEqual([]);
  });

  it('stops what did start when another service fails', async () => {
    process.env['REDISMS_SYSTEM_BINARY'] = '/bin/false';
    await expect(startDevServices({ stateDir: state.dir })).rejects.toThrow(/REDIS_URL/);
    // Postgres came up (the cluster was initialised) and was shut down again.
    expect(await exists(path.join(postgresDataDir(state.dir), 'PG_VERSION'))).toBe(true);
    expect(await exists(path.join(postgresDataDir(state.dir), 'postmaster.pid'))).toBe(false);
    expect(await exists(path.join(state.dir, 'postgres.owner.json'))).toBe(false);
  });
});
