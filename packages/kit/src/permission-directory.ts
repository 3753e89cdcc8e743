import type { Redis } from 'ioredis';

/**
 * Role → permission keys, published by the identity subgraph (which owns the permission rows) and
 * read by the gateway when it signs a request's identity. A change to a role's permissions is
 * republished and announced, so it takes effect on the next request without a restart.
 */
const DIRECTORY_KEY = 'pathway:rbac:role-permissions';
const CHANGED_CHANNEL = 'pathway:rbac:changed';
/** Fallback refresh in case an announcement is missed (e.g. a Redis reconnect). */
const MAX_AGE_MS = 30_000;

export async function publishRolePermissions(redis: Redis, byRole: Record<string, string[]>): Promise<void> {
  const fields = Object.entries(byRole).flatMap(([role, keys]) => [role, JSON.stringify([...keys].sort())]);
  const tx = redis.multi().del(DIRECTORY_KEY);
  if (fields.length) tx.hset(DIRECTORY_KEY, ...fields);
  await tx.publish(CHANGED_CHANNEL, String(Date.now())).exec();
}

export class PermissionDirectory {
  private byRole: Map<string, string[]> | null = null;
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
    this.loading ??= this.redis.hgetall(DIRECTORY_KEY).then(
      (raw) => {
        const map = new Map(Object.entries(raw).map(([role, json]) => [role, JSON.parse(json) as string[]]));
        this.byRole = map;
        this.loadedAt = Date.now();
        this.loading = null;
        return map;
      },
      (error: unknown) => {
        this.loading = null;
        throw error;
      },
    );
    return this.loading;
  }
}
