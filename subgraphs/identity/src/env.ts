import { z } from 'zod';
import { developmentOnly, keyRingEnv } from '@pathway/kit';

/** Variables the identity subgraph reads beyond the common ones. */
export const identityEnv = {
  ACCESS_JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .default(30 * 86_400),
  /** Wrong passwords within the window that lock an account. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** How long a locked account stays locked unless an administrator unlocks it. */
  LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).default(900),
  /**
   * Seals integration and webhook secrets (AES-256-GCM, kit secret-box): a key ring, `id=secret`
   * pairs with the current key first. One of the two is required in production; a fixed dev key otherwise.
   */
  INTEGRATION_SECRET_KEYS: keyRingEnv.optional(),
  /** The single key of before: read as the ring's key `v1` when INTEGRATION_SECRET_KEYS is not set. */
  INTEGRATION_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Webhooks: tries per delivery before it goes to the dead-letter list, and the first retry's delay (doubling after). */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).default(10_000),
  /** How long one delivery request may take before it counts as failed. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Extra PEM CA certificates trusted for deliveries (besides Node's roots), e.g. a test receiver's. */
  WEBHOOK_CA_FILE: z.string().min(1).optional(),
  /** Events another (crashed) identity instance read but never fanned out are taken over after this long. */
  WEBHOOK_CLAIM_IDLE_MS: z.coerce.number().int().min(100).default(60_000),
  /**
   * Allow endpoints on loopback/private/link-local addresses, there also over plain http (development
   * and tests only: refused with NODE_ENV=production).
   */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: developmentOnly(z.stringbool().default(false)),
};
