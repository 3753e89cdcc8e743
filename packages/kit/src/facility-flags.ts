import { SERVICE_ACCOUNTS_KEY, SERVICE_ACCOUNTS_PUBLISHED_FIELD } from './service-accounts.ts';
import type { Redis } from 'ioredis';
import { askForRepublish, waitFor } from './directory-keeper.ts';
import { DIRECTORY_KEY } from './permission-directory.ts';

/**
 * Facility feature flags (open_content, program_management, …): owned by the identity subgraph,
 * published to this Redis hash (facility id → JSON list of enabled flags), read by the gateway into
 * each request's verified identity so every subgraph can rely on them.
 */
export const FACILITY_FLAGS_KEY = 'pathway:facility-flags';
/**
 * A field identity writes with every full publish: a hash without it was lost (Redis restarted
 * empty), which is not the same as a facility with no flags.
 */
export const FLAGS_PUBLISHED_FIELD = '_published';
/** A flag change reaches requests within this long. */
const MAX_AGE_MS = 10_000;
const REPUBLISH_WAIT_MS = 3_000;

export class FacilityFlagDirectory {
  private readonly cache = new Map<string, { flags: string[]; at: number }>();

  constructor(private readonly redis: Redis) {}

  async flagsOf(facilityId: string | null): Promise<string[]> {
    if (!facilityId) return [];
    const cached = this.cache.get(facilityId);
    if (cached && Date.now() - cached.at < MAX_AGE_MS) return cached.flags;
    let read = await this.read(facilityId);
    if (!read) {
      await askForRepublish(this.redis);
      // The last flags seen stay in force until identity has republished them.
      if (cached) return cached.flags;
      read = await waitFor(() => this.read(facilityId), REPUBLISH_WAIT_MS);
      if (!read) return [];
    }
    this.cache.set(facilityId, { flags: read.flags, at: Date.now() });
    return read.flags;
  }

  private async read(facilityId: string): Promise<{ flags: string[] } | null> {
    const [raw, published] = await this.redis.hmget(FACILITY_FLAGS_KEY, facilityId, FLAGS_PUBLISHED_FIELD);
    if (published === null) return null;
    return { flags: raw ? (JSON.parse(raw) as string[]) : [] };
  }
}

/** Whether identity's directories are both in Redis (see directory-keeper.ts). */
export async function directoriesPublished(redis: Redis): Promise<boolean> {
  const [roles, flags, accounts] = await Promise.all([
    redis.exists(DIRECTORY_KEY),
    redis.hexists(FACILITY_FLAGS_KEY, FLAGS_PUBLISHED_FIELD),
    redis.hexists(SERVICE_ACCOUNTS_KEY, SERVICE_ACCOUNTS_PUBLISHED_FIELD),
  ]);
  return roles === 1 && flags === 1 && accounts === 1;
}
