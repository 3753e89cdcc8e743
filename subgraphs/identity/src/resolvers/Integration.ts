import type { IntegrationResolvers } from '../generated/graphql.ts';

/** Only whether a secret exists ever leaves: the ciphertext has no field in the schema. */
export const Integration: IntegrationResolvers = {
  hasSecret: (row) => row.secretCiphertext !== null,
};
