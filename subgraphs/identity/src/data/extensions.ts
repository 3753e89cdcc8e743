import type { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

/** `visible`: the caller's access filter (access.ts), ANDed in. */
export const extensionsOfUsers = (tx: Tx, userIds: readonly string[], visible: Prisma.UserExtensionWhereInput) =>
  tx.userExtension.findMany({
    where: { AND: [{ userId: { in: [...userIds] } }, visible] },
    orderBy: [{ priority: 'desc' }, { name: 'asc' }],
  });

export const factorsOfExtensions = (tx: Tx, extensionIds: readonly string[], visible: Prisma.PracticalityFactorWhereInput) =>
  tx.practicalityFactor.findMany({ where: { AND: [{ extensionId: { in: [...extensionIds] } }, visible] }, orderBy: { name: 'asc' } });

/** Counts one use atomically (concurrent uses all count); false when the extension is not the person's. */
export async function countUse(tx: Tx, userId: string, id: string, feedbackScore: number | null) {
  const { count } = await tx.userExtension.updateMany({
    where: { id, userId },
    data: { usageCount: { increment: 1 }, lastUsedAt: new Date(), ...(feedbackScore !== null ? { feedbackScore } : {}) },
  });
  return count === 1;
}

/**
 * The practicality score of seed 001's `extension_practicality` view: the weighted mean of the
 * factor values (1–10), Σ value·weight / Σ weight, to two decimals; null without factors.
 */
export function practicalityScore(factors: readonly { value: number; weight: number }[]): number | null {
  const weights = factors.reduce((sum, f) => sum + f.weight, 0);
  if (!factors.length || weights <= 0) return null;
  return Math.round((factors.reduce((sum, f) => sum + f.value * f.weight, 0) / weights) * 100) / 100;
}
