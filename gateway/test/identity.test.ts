import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRedis } from '@pathway/devstack';
import {
  FACILITY_FLAGS_KEY,
  FLAGS_PUBLISHED_FIELD,
  FacilityFlagDirectory,
  PermissionDirectory,
  connectRedis,
  publishRolePermissions,
  EndedSessions,
  ServiceAccountDirectory,
  signAccessToken,
  type Redis,
} from '@pathway/kit';
import { RequestAuthenticator } from '../src/identity.ts';

// The gateway's identity: who (from the token), what they may do (permission directory) and their
// facility's feature flags (flag directory), both read from the real Redis the subgraphs publish to.
const secret = 's'.repeat(40);
let redis: Redis;
let subscriber: Redis;
let stop: () => Promise<void>;

beforeAll(async () => {
  const resolved = await resolveRedis({});
  stop = resolved.stop;
  const url = new URL(resolved.url);
  // Database 15: this test rewrites the whole permission directory, so never share the stack's (1–14).
  url.pathname = '/15';
  redis = connectRedis(url.toString(), 'gateway-test');
  subscriber = connectRedis(url.toString(), 'gateway-test-sub');
});
afterAll(async () => {
  await redis?.quit();
  await subscriber?.quit();
  await stop?.();
});

describe('RequestAuthenticator', () => {
  it("puts the role's permissions and the facility's feature flags into the identity", async () => {
    const facilityId = crypto.randomUUID();
    await publishRolePermissions(redis, { staff: ['campus.class.read'], resident: [] });
    await redis.hset(FACILITY_FLAGS_KEY, facilityId, JSON.stringify(['open_content', 'program_management']), FLAGS_PUBLISHED_FIELD, 'now');
    const authenticator = new RequestAuthenticator(
      secret,
      new PermissionDirectory(redis, subscriber),
      new FacilityFlagDirectory(redis),
      new ServiceAccountDirectory(redis),
      new EndedSessions(redis),
    );
    const { token } = await signAccessToken(
      { userId: crypto.randomUUID(), tenantId: crypto.randomUUID(), facilityId, roles: ['staff'], sessionId: crypto.randomUUID() },
      secret,
      60,
    );
    const session = await authenticator.session(`Bearer ${token}`);
    expect(session?.identity.permissions).toEqual(['campus.class.read']);
    expect(session?.identity.featureFlags).toEqual(['open_content', 'program_management']);
    expect(session?.mustChangePassword).toBe(false);
  });

  it('gives no flags to a person without a facility, and carries the must-change-password claim', async () => {
    const authenticator = new RequestAuthenticator(
      secret,
      new PermissionDirectory(redis, subscriber),
      new FacilityFlagDirectory(redis),
      new ServiceAccountDirectory(redis),
      new EndedSessions(redis),
    );
    const { token } = await signAccessToken(
      {
        userId: crypto.randomUUID(),
        tenantId: crypto.randomUUID(),
        facilityId: null,
        roles: ['resident'],
        sessionId: crypto.randomUUID(),
        mustChangePassword: true,
      },
      secret,
      60,
    );
    const session = await authenticator.session(`Bearer ${token}`);
    expect(session?.identity.featureFlags).toEqual([]);
    expect(session?.mustChangePassword).toBe(true);
  });
});
