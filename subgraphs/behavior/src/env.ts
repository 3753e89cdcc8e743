import { z } from 'zod';

/** Variables the behavior subgraph reads beyond the common ones. */
export const behaviorEnv = {
  /**
   * Where email to guardians goes, e.g. `smtp://user:pass@mail.example.org:587` (nodemailer's URL
   * form; `smtps://` for TLS from the start). Unset: email is written to the log channel instead (development).
   */
  BEHAVIOR_SMTP_URL: z.url().optional(),
  /** The From address of email to guardians. */
  BEHAVIOR_SMTP_FROM: z.string().min(3).default('Pathway <no-reply@pathway.local>'),
  /** Tries per message before it is failed (each a job attempt). */
  BEHAVIOR_COMMUNICATION_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /** Delay before the first retry of a message; each next one doubles it. */
  BEHAVIOR_COMMUNICATION_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(30_000),
  /** One SMTP conversation may take this long before the attempt counts as failed. */
  BEHAVIOR_SMTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** When every student with recent history has their insights recomputed (cron, UTC); `off`: only when their data changes. */
  BEHAVIOR_INSIGHTS_CRON: z.string().min(1).default('30 2 * * *'),
};

export type BehaviorEnv = typeof behaviorEnv;
