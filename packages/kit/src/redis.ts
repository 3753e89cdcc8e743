import { Redis } from 'ioredis';

export type { Redis };

/**
 * A Redis connection that fails commands fast while disconnected instead of queueing forever.
 * `autoPipelining`: commands issued in one turn of the event loop (concurrent requests' rate-limit
 * counts and session checks) go out in one write and come back in one read; never on a connection
 * that blocks (XREAD BLOCK) or subscribes.
 */
export function connectRedis(url: string, name: string, opts: { autoPipelining?: boolean } = {}): Redis {
  return new Redis(url, {
    connectionName: `pathway-${name}`,
    maxRetriesPerRequest: 3,
    enableOfflineQueue: true,
    lazyConnect: false,
    enableAutoPipelining: opts.autoPipelining === true,
  });
}
