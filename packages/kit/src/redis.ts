import { Redis } from 'ioredis';

export type { Redis };

/** A Redis connection that fails commands fast while disconnected instead of queueing forever. */
export function connectRedis(url: string, name: string): Redis {
  return new Redis(url, { connectionName: `pathway-${name}`, maxRetriesPerRequest: 3, enableOfflineQueue: true, lazyConnect: false });
}
