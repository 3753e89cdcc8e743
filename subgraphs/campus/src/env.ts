import { z } from 'zod';

/** Variables the campus subgraph reads beyond the common ones. */
export const campusEnv = {
  /** When the activation job (Scheduled → Active on the start date) runs, as cron in UTC; `off`: never on its own. */
  CAMPUS_ACTIVATION_CRON: z.string().min(1).default('*/15 * * * *'),
};
