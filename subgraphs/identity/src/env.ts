import { z } from 'zod';

/** Variables the identity subgraph reads beyond the common ones. */
export const identityEnv = {
  ACCESS_JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(300).default(30 * 86_400),
  /** Wrong passwords within the window that lock an account. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** How long a locked account stays locked unless an administrator unlocks it. */
  LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Encrypts integration secrets (AES-256-GCM). Required in production; a fixed dev key otherwise. */
  INTEGRATION_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
};
