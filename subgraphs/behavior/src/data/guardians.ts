import type { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

/**
 * All guardians of the given families (within the tenant, by RLS). Used both to decide whether the
 * caller is a linked guardian and to list a family's guardians, whose fields shield guards.
 */
export function guardiansOfFamilies(tx: Tx, familyIds: readonly string[]) {
  return tx.guardian.findMany({ where: { familyId: { in: [...familyIds] } }, orderBy: { id: 'asc' } });
}
