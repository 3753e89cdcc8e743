import { keyRing, type KeyRing, type SubgraphConfig } from '@pathway/kit';
import type { LearningEnv } from '../env.ts';

/** How learning talks to provider platforms, read once from the configuration. */
export interface ProviderSettings {
  /** Seals and opens provider credentials (kit/secret-box). */
  ring: KeyRing;
  /** Loopback/private addresses and plain http allowed (development and tests). */
  allowPrivateNetworks: boolean;
  timeoutMs: number;
  maxAttempts: number;
  backoffMs: number;
  /** Brightspace's OAuth 2 token endpoint (BRIGHTSPACE_TOKEN_URL; default the Brightspace authentication service). */
  brightspaceTokenUrl?: string;
}

/** Never a real secret: development and tests only (production requires PROVIDER_SECRET_KEYS). */
export const DEV_SECRET = 'pathway-dev-provider-secret-key-not-for-production';

export function providerSettings(config: SubgraphConfig<LearningEnv>): ProviderSettings {
  return {
    ring: keyRing(config.PROVIDER_SECRET_KEYS, { nodeEnv: config.NODE_ENV, variable: 'PROVIDER_SECRET_KEYS', devSecret: DEV_SECRET }),
    allowPrivateNetworks: config.PROVIDER_ALLOW_PRIVATE_NETWORKS,
    timeoutMs: config.PROVIDER_TIMEOUT_MS,
    maxAttempts: config.PROVIDER_MAX_ATTEMPTS,
    backoffMs: config.PROVIDER_BACKOFF_MS,
    brightspaceTokenUrl: config.BRIGHTSPACE_TOKEN_URL,
  };
}
