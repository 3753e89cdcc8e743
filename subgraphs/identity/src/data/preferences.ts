import type { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

export function preferencesOfUsers(tx: Tx, userIds: readonly string[], visible: Prisma.UserPreferenceWhereInput) {
  return tx.userPreference.findMany({ where: { AND: [{ userId: { in: [...userIds] } }, visible] }, orderBy: { key: 'asc' } });
}

export function setPreference(tx: Tx, user: { id: string; tenantId: string }, key: string, value: Prisma.InputJsonValue) {
  return tx.userPreference.upsert({
    where: { userId_key: { userId: user.id, key } },
    update: { value },
    create: { userId: user.id, tenantId: user.tenantId, key, value },
  });
}

export async function deletePreference(tx: Tx, userId: string, key: string) {
  const { count } = await tx.userPreference.deleteMany({ where: { userId, key } });
  return count > 0;
}
