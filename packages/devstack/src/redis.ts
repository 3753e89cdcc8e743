import type { ResolvedRedis } from './types.ts';
import { elapsed, envValue, errorMessage, findOnPath, noopLog, redact, withTimeout, type Log } from './util.ts';

export interface ResolveRedisOptions {
  log?: Log;
}

const SYSTEM_START_TIMEOUT_MS = 30_000;
/** Without a system binary, redis-memory-server downloads and compiles Redis: allow for that. */
const BUILD_START_TIMEOUT_MS = 15 * 60_000;

/**
 * `REDIS_URL` when set; otherwise a throw-away redis-server (npm package `redis-memory-server`) on a free
 * port of 127.0.0.1, using the machine's own `redis-server` (`REDISMS_SYSTEM_BINARY`, else PATH). Only when
 * there is none does redis-memory-server try to download and build one, which needs network access.
 * No persistence: the data is gone when it stops.
 */
export async function resolveRedis(opts: ResolveRedisOptions = {}): Promise<ResolvedRedis> {
  const log = opts.log ?? noopLog;
  const envUrl = envValue('REDIS_URL');
  if (envUrl !== undefined) {
    log(`redis: using REDIS_URL (${redact(envUrl)})`);
    return { url: envUrl, source: 'env', stop: async () => {} };
  }

  const t0 = performance.now();
  const systemBinary = envValue('REDISMS_SYSTEM_BINARY') ?? (await findOnPath('redis-server'));
  if (systemBinary) {
    log(`redis: starting redis-memory-server with ${systemBinary}`);
  } else {
    log('redis: no redis-server on PATH; redis-memory-server will try to download and build one (needs network, takes minutes)');
  }

  const { RedisMemoryServer } = await import('redis-memory-server');
  const server = new RedisMemoryServer({
    autoStart: false,
    instance: { ip: '127.0.0.1' },
    binary: systemBinary ? { systemBinary } : {},
  });
  const timeoutMs = systemBinary ? SYSTEM_START_TIMEOUT_MS : BUILD_START_TIMEOUT_MS;
  try {
    await withTimeout(server.start(), timeoutMs, `redis-server did not become ready within ${timeoutMs / 1000} s`);
  } catch (err) {
    await withTimeout(server.stop(), 5_000, 'stop timed out').catch(() => {});
    const hint = systemBinary
      ? `redis-server (${systemBinary}) failed to start`
      : 'there is no redis-server on PATH and redis-memory-server could not download/build one (offline?)';
    throw new Error(
      `redis: ${hint}: ${errorMessage(err)}. Install redis-server (e.g. 'apt-get install redis-server'), ` +
        `point REDISMS_SYSTEM_BINARY at one, or set REDIS_URL=redis://host:6379 to use an existing server.`,
      { cause: err },
    );
  }

  const info = server.getInstanceInfo();
  const port = info ? info.port : await server.getPort();
  const url = `redis://127.0.0.1:${port}`;
  log(`redis: redis-memory-server ready on ${url} (${elapsed(t0)})`);
  let stopped: Promise<void> | undefined;
  return {
    url,
    source: 'embedded',
    stop: () =>
      (stopped ??= (async () => {
        await server.stop();
        log('redis: redis-memory-server stopped');
      })()),
  };
}
