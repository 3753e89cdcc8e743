import { z } from 'zod';

/** Variables the market subgraph reads beyond the common ones. */
export const marketEnv = {
  /** How long a pending reservation request holds its period before it lapses (expired), unless it starts sooner. */
  RESERVATION_HOLD_HOURS: z.coerce
    .number()
    .min(0.001)
    .max(24 * 30)
    .default(48),
  /** How often the expiry job sweeps lapsed holds (a cron pattern; six fields: with seconds). */
  RESERVATION_EXPIRY_CRON: z.string().min(9).default('*/15 * * * * *'),
  /** How often pending asset transactions a crashed request left behind are carried out, and how old they must be first. */
  TRANSACTION_RECONCILE_CRON: z.string().min(9).default('*/15 * * * * *'),
  TRANSACTION_RECONCILE_AFTER_MS: z.coerce.number().int().min(0).default(60_000),
};
