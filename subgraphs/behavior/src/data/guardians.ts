import type { Identity } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import { guardianAccess } from '../access.ts';

type Tx = Prisma.TransactionClient;

/** The guardians of the given families that the caller may see (shield guards their contact fields). */
export function findVisibleGuardiansOfFamilies(tx: Tx, identity: Identity, familyIds: readonly string[]) {
  return tx.guardian.findMany({
    where: { AND: [{ familyId: { in: [...familyIds] } }, guardianAccess.where(identity)] },
    orderBy: { id: 'asc' },
  });
}

/** The guardians the caller may see among those matching `where` (the ids of a batch). */
export function findVisibleGuardians(tx: Tx, identity: Identity, where: Prisma.GuardianWhereInput) {
  return tx.guardian.findMany({ where: { AND: [where, guardianAccess.where(identity)] } });
}
