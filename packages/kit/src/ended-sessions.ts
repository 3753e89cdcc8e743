import type { Redis } from 'ioredis';

/**
 * Sessions that ended before their access tokens expired (signed out, password changed, ended by an
 * administrator). Access tokens are verified without a database, so identity records each ended
 * session here, for as long as one of its access tokens can still be valid, and the gateway refuses
 * a token whose session is listed.
 */
const endedKey = (sessionId: string) => `pathway:session-ended:${sessionId}`;

export class EndedSessions {
  constructor(private readonly redis: Redis) {}

  /** Records the sessions as ended for `ttlSeconds` (the access token lifetime). */
  async end(sessionIds: readonly string[], ttlSeconds: number): Promise<void> {
    if (!sessionIds.length) return;
    const batch = this.redis.multi();
    for (const id of new Set(sessionIds)) batch.set(endedKey(id), '1', 'EX', ttlSeconds);
    await batch.exec();
  }

  async hasEnded(sessionId: string): Promise<boolean> {
    return (await this.redis.exists(endedKey(sessionId))) === 1;
  }
}
