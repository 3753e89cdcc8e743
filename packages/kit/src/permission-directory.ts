import type { Redis } from 'ioredis';
import { askForRepublish, waitFor } from './directory-keeper.ts';
import { requestError } from './errors.ts';

/**
 * Role → permission keys, published by the identity subgraph (which owns the permission rows) and
 * read by the gateway when it signs a request's identity. A change to a role's permissions is
 * republished and announced, so it takes effect on the next request without a restart.
 */
export const DIRECTORY_KEY = 'pathway:rbac:role-permissions';
const CHANGED_CHANNEL = 'pathway:rbac:changed';
/** Fallback refresh in case an announcement is missed (e.g. a Redis reconnect). */
const MAX_AGE_MS = 30_000;
/** How long a request waits for identity to republish a directory Redis lost. */
const REPUBLISH_WAIT_MS = 3_000;
/** While Redis has no directory, the last one read is used and Redis asked again this often. */
const STALE_RETRY_MS = 1_000;

export async function publishRolePermissions(redis: Redis, byRole: Record<string, string[]>): Promise<void> {
  const fields = Object.entries(byRole).flatMap(([role, keys]) => [role, JSON.stringify([...keys].sort())]);
  const tx = redis.multi().del(DIRECTORY_KEY);
  if (fields.length) tx.hset(DIRECTORY_KEY, ...fields);
  await tx.publish(CHANGED_CHANNEL, String(Date.now())).exec();
}

export class PermissionDirectory {
  private byRole: Map<string, string[]> | null = null;
  /** The last directory Redis held: better than refusing everyone while identity republishes. */
  private lastGood: Map<string, string[]> | null = null;
  private loadedAt = 0;
  private loading: Promise<Map<string, string[]>> | null = null;

  /** `subscriber` must be a connection of its own: Redis puts it in subscriber mode. */
  constructor(
    private readonly redis: Redis,
    subscriber: Redis,
  ) {
    void subscriber.subscribe(CHANGED_CHANNEL);
    subscriber.on('message', (channel) => {
      if (channel === CHANGED_CHANNEL) this.byRole = null;
    });
  }

  async permissionsFor(roles: readonly string[]): Promise<string[]> {
    const byRole = await this.current();
    return [...new Set(roles.flatMap((role) => byRole.get(role) ?? []))];
  }

  private async current(): Promise<Map<string, string[]>> {
    if (this.byRole && Date.now() - this.loadedAt < MAX_AGE_MS) return this.byRole;
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async load(): Promise<Map<string, string[]>> {
    let map = await this.read();
    if (!map && !this.lastGood) {
      // Nothing to fall back on (a gateway started after Redis lost its data): wait for identity.
      await askForRepublish(this.redis);
      map = await waitFor(() => this.read(), REPUBLISH_WAIT_MS);
    }
    if (!map) {
      await askForRepublish(this.redis);
      if (!this.lastGood)
        throw requestError('SERVICE_UNAVAILABLE', 'Permissions are being restored after a restart. Try again in a few seconds.', {
          retryAfterSeconds: 5,
        });
      this.byRole = this.lastGood;
      this.loadedAt = Date.now() - MAX_AGE_MS + STALE_RETRY_MS;
      return this.lastGood;
    }
    this.byRole = this.lastGood = map;
    this.loadedAt = Date.now();
    return map;
  }

  /** The directory in Redis, or null when Redis has none (it never legitimately has no roles). */
  private async read(): Promise<Map<string, string[]> | null> {
    const raw = await this.redis.hgetall(DIRECTORY_KEY);
    const entries = Object.entries(raw);
    return entries.length ? new Map(entries.map(([role, json]) => [role, JSON.parse(json) as string[]])) : null;
  }
}
