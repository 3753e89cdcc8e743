import type { Integration as IntegrationRow } from '../generated/prisma/client.ts';

/** Only whether a secret exists ever leaves: the ciphertext has no field in the schema. */
export const Integration = {
  hasSecret: (row: IntegrationRow) => row.secretCiphertext !== null,
};
