import { developmentOnly, keyRingEnv } from '@pathway/kit';
import { z } from 'zod';

/** Variables the learning subgraph reads beyond the common ones. */
export const learningEnv = {
  /**
   * Seals provider credentials (AES-256-GCM, kit/secret-box): `id=secret` pairs, the current key
   * first, older keys after it until every credential is resealed (README, Learning → rotation).
   * Required in production; a fixed development key otherwise.
   */
  PROVIDER_SECRET_KEYS: keyRingEnv.optional(),
  /** Allow provider addresses on loopback/private networks and plain http (development and tests only). */
  PROVIDER_ALLOW_PRIVATE_NETWORKS: developmentOnly(z.stringbool().default(false)),
  /** One request to a provider may take this long before it counts as failed (and is retried). */
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** Tries per provider request (timeouts, 429, 5xx, connection errors) before the call fails. */
  PROVIDER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
  /** First retry delay (doubling, with jitter); a provider's Retry-After overrides it. */
  PROVIDER_BACKOFF_MS: z.coerce.number().int().min(1).max(60_000).default(500),
  /** Brightspace's OAuth 2 token endpoint (client credentials); a local one in development. */
  BRIGHTSPACE_TOKEN_URL: z.url().default('https://auth.brightspace.com/core/connect/token'),
  /** YouTube Data API key for video metadata (the `content.video.metadata` job); a provider's apiUrl says where the API is. */
  YOUTUBE_API_KEY: z.string().min(1).optional(),
};

export type LearningEnv = typeof learningEnv;
