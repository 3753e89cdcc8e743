import { z } from 'zod';

/** Variables the identity subgraph reads beyond the common ones. */
export const identityEnv = {
  ACCESS_JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(300).default(30 * 86_400),
};
