import { openSecret, sealSecret } from '@pathway/kit';
import { describe, expect, it } from 'vitest';
import type { SubgraphConfig } from '@pathway/kit';
import type { identityEnv } from '../src/env.ts';
import { integrationKeyRing } from '../src/integration-secrets.ts';

type Config = SubgraphConfig<typeof identityEnv>;
const config = (values: Partial<Config>) => ({ NODE_ENV: 'test', ...values }) as Config;

describe('identity integration secret keys', () => {
  it('reads INTEGRATION_SECRET_KEY, the single key of before, as the ring key v1', () => {
    const ring = integrationKeyRing(config({ INTEGRATION_SECRET_KEY: 'x'.repeat(40) }));
    expect(ring.currentId).toBe('v1');
    expect([...ring.keys.keys()]).toEqual(['v1']);
  });

  it('prefers INTEGRATION_SECRET_KEYS, so a new key can be put first with the old one kept as v1', () => {
    const before = integrationKeyRing(config({ INTEGRATION_SECRET_KEY: 'x'.repeat(40) }));
    const sealedBefore = sealSecret(before, 'endpoint-secret');
    const after = integrationKeyRing(
      config({ INTEGRATION_SECRET_KEY: 'x'.repeat(40), INTEGRATION_SECRET_KEYS: `k2=${'y'.repeat(40)},v1=${'x'.repeat(40)}` }),
    );
    expect(after.currentId).toBe('k2');
    expect(openSecret(after, sealedBefore)).toBe('endpoint-secret');
  });

  it('refuses a production start with neither variable, and reads the configuration once', () => {
    expect(() => integrationKeyRing(config({ NODE_ENV: 'production' }))).toThrow(/INTEGRATION_SECRET_KEYS is required in production/);
    const development = config({});
    expect(integrationKeyRing(development)).toBe(integrationKeyRing(development));
    expect(integrationKeyRing(development).currentId).toBe('v1');
  });
});
