import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectRedis, DIRECTORY_KEY, directoriesPublished, FACILITY_FLAGS_KEY, type Redis } from '@pathway/kit';
import { users } from '../scripts/demo/ids.ts';
import { gql, tokenFor } from './support/client.ts';
import { startExtraGateway, type ExtraGateway } from './support/gateway.ts';

// The permission directory and the facility flags live only in Redis. When Redis loses them
// (restarted empty, flushed), requests used to be FORBIDDEN until identity restarted. This test
// deletes those two keys from the stack's Redis database (not FLUSHDB: other test files share the
// database's streams and queues) and checks that nobody is refused and identity puts them back.
const ROLES = '{ roles { name } }';
let redis: Redis;
let late: ExtraGateway | null = null;

beforeAll(() => {
  redis = connectRedis(inject('redisUrl'), 'redis-loss-test');
});
afterAll(async () => {
  late?.stop();
  await redis.quit();
});

async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('Redis losing the permission directory and facility flags', () => {
  it('keeps answering with the permissions roles grant, and identity republishes both at once', async () => {
    const token = await tokenFor(users.sysadmin.username);
    expect((await gql(ROLES, {}, { token })).errors).toBeUndefined();
    const flagsBefore = await redis.hgetall(FACILITY_FLAGS_KEY);

    await redis.del(DIRECTORY_KEY, FACILITY_FLAGS_KEY);
    const during = await gql<{ roles: { name: string }[] }>(ROLES, {}, { token });
    expect(during.errors).toBeUndefined();
    expect(during.data?.roles.length).toBeGreaterThan(0);

    expect(await eventually(() => directoriesPublished(redis), 10_000)).toBe(true);
    const flagsAfter = await redis.hgetall(FACILITY_FLAGS_KEY);
    // Every facility's flags are back as they were (other test files may add facilities meanwhile).
    for (const [facilityId, flags] of Object.entries(flagsBefore))
      if (facilityId !== '_published') expect(flagsAfter[facilityId]).toBe(flags);
    expect(Object.keys(await redis.hgetall(DIRECTORY_KEY))).toContain('system_admin');
  });

  it('lets a gateway that starts while the directory is gone ask identity for it instead of refusing everyone', async () => {
    const token = await tokenFor(users.sysadmin.username);
    late = await startExtraGateway();
    await redis.del(DIRECTORY_KEY, FACILITY_FLAGS_KEY);
    const res = await gql<{ roles: { name: string }[] }>(ROLES, {}, { token, url: late.url });
    expect(res.errors).toBeUndefined();
    expect(res.data?.roles.length).toBeGreaterThan(0);
    expect(await directoriesPublished(redis)).toBe(true);
  });
});
