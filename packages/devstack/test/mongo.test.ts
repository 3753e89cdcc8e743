import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveMongo } from '../src/index.ts';
import { findOnPath } from '../src/util.ts';
import { canConnect, collectLog, mongoPing, portOf, snapshotEnv, tempStateDir, unsetEnv } from './helpers.ts';

const WIRE_LINE = "mongo: using the project's own wire-protocol server (mongo-wire), not mongod";

describe('resolveMongo', { timeout: 60_000 }, () => {
  let restoreEnv: () => void;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    restoreEnv = snapshotEnv();
    unsetEnv('MONGODB_URL', 'MONGOMS_SYSTEM_BINARY', 'PATHWAY_MONGO_DOWNLOAD');
    // No mongod anywhere: an empty download dir, and no PATH entry holding one.
    const state = await tempStateDir();
    cleanup = state.cleanup;
    process.env['MONGOMS_DOWNLOAD_DIR'] = state.dir;
    let mongod: string | undefined;
    while ((mongod = await findOnPath('mongod'))) {
      const dir = path.dirname(mongod);
      process.env['PATH'] = (process.env['PATH'] ?? '')
        .split(path.delimiter)
        .filter((d) => d !== dir)
        .join(path.delimiter);
    }
  });

  afterEach(async () => {
    restoreEnv();
    await cleanup();
  });

  it('returns MONGODB_URL untouched when set', async () => {
    process.env['MONGODB_URL'] = 'mongodb://app:t0psecret@mongo.example:27017/app?authSource=admin';
    const { log, lines } = collectLog();
    const mongo = await resolveMongo({ log });
    expect(mongo).toMatchObject({ url: 'mongodb://app:t0psecret@mongo.example:27017/app?authSource=admin', source: 'env' });
    await mongo.stop();
    expect(lines.join('\n')).not.toContain('t0psecret');
  });

  it('falls back to mongo-wire quickly when there is no mongod, and says so', async () => {
    const { log, lines } = collectLog();
    const t0 = performance.now();
    const mongo = await resolveMongo({ log });
    const ms = performance.now() - t0;
    try {
      expect(mongo.source).toBe('mongo-wire');
      expect(lines.some((l) => l.startsWith(WIRE_LINE))).toBe(true);
      expect(lines.some((l) => l.includes('no mongod binary on this machine'))).toBe(true);
      // No CDN download attempt: offline that alone takes ~7 s. (Typically ~1 s cold, ~50 ms warm; the margin is
      // for module loading on a busy machine.)
      expect(ms).toBeLessThan(5_000);
      expect(lines.some((l) => /download/i.test(l) && !l.includes('PATHWAY_MONGO_DOWNLOAD=1 to try'))).toBe(false);
      expect(mongo.url).toMatch(/^mongodb:\/\//);
      expect(await mongoPing(portOf(mongo.url))).toBe(1);
    } finally {
      await mongo.stop();
    }
    expect(await canConnect(portOf(mongo.url))).toBe(false);
  });

  it('goes straight to mongo-wire with preferMemoryServer: false', async () => {
    const { log, lines } = collectLog();
    const mongo = await resolveMongo({ log, preferMemoryServer: false });
    try {
      expect(mongo.source).toBe('mongo-wire');
      expect(lines.some((l) => l.includes('mongod binary'))).toBe(false);
      expect(lines.some((l) => l.startsWith(WIRE_LINE))).toBe(true);
    } finally {
      await mongo.stop();
    }
  });

  it('falls back to mongo-wire when the mongod it found does not work', async () => {
    process.env['MONGOMS_SYSTEM_BINARY'] = '/bin/false';
    const { log, lines } = collectLog();
    const mongo = await resolveMongo({ log });
    try {
      expect(mongo.source).toBe('mongo-wire');
      expect(lines.some((l) => l.includes('mongodb-memory-server failed'))).toBe(true);
      expect(await mongoPing(portOf(mongo.url))).toBe(1);
    } finally {
      await mongo.stop();
    }
  });
});
