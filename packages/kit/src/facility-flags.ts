import type { Redis } from 'ioredis';

/**
 * Facility feature flags (open_content, program_management, …): owned by the identity subgraph,
 * published to this Redis hash (facility id → JSON list of enabled flags), read by the gateway into
 * each request's verified identity so every subgraph can rely on them.
 */
export const FACILITY_FLAGS_KEY = 'pathway:facility-flags';
/** A flag change reaches requests within this long. */
const MAX_AGE_MS = 10_000;

export class FacilityFlagDirectory {
  private readonly cache = new Map<string, { flags: string[]; at: number }>();

  constructor(private readonly redis: Redis) {}

  async flagsOf(facilityId: string | null): Promise<string[]> {
    if (!facilityId) return [];
    const cached = this.cache.get(facilityId);
    if (cached && Date.now() - cached.at < MAX_AGE_MS) return cached.flags;
    const raw = await this.redis.hget(FACILITY_FLAGS_KEY, facilityId);
    const flags = raw ? (JSON.parse(raw) as string[]) : [];
    this.cache.set(facilityId, { flags, at: Date.now() });
    return flags;
  }
}
