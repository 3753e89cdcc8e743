import { keyRing, LEGACY_KEY_ID, type KeyRing, type SubgraphConfig } from '@pathway/kit';
import type { identityEnv } from './env.ts';

/** Never a real secret: development and tests only (production requires INTEGRATION_SECRET_KEYS). */
const DEV_SECRET = 'pathway-dev-integration-secret-key-not-for-production';

const rings = new WeakMap<object, KeyRing>();

/**
 * The key ring that seals integration and webhook secrets (kit secret-box), read once per
 * configuration. `INTEGRATION_SECRET_KEYS` is a ring (`id=secret`, current first);
 * `INTEGRATION_SECRET_KEY`, the single key of before, is the ring's key `v1`, which also opens the
 * secrets sealed in the first format. The development key has that id too, so a development
 * database from before keeps its webhook secrets.
 */
export function integrationKeyRing(config: SubgraphConfig<typeof identityEnv>): KeyRing {
  let ring = rings.get(config);
  if (!ring) {
    const legacy = config.INTEGRATION_SECRET_KEY ? `${LEGACY_KEY_ID}=${config.INTEGRATION_SECRET_KEY}` : undefined;
    ring = keyRing(config.INTEGRATION_SECRET_KEYS ?? legacy, {
      nodeEnv: config.NODE_ENV,
      variable: 'INTEGRATION_SECRET_KEYS',
      devSecret: DEV_SECRET,
      devKeyId: LEGACY_KEY_ID,
    });
    rings.set(config, ring);
  }
  return ring;
}
