import type { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

export function createRefreshToken(tx: Tx, data: { userId: string; tenantId: string; sessionId: string; tokenHash: string; expiresAt: Date }) {
  return tx.refreshToken.create({ data });
}

export function findRefreshToken(tx: Tx, tokenHash: string) {
  return tx.refreshToken.findUnique({ where: { tokenHash }, include: { user: { include: { roles: { include: { role: true } } } } } });
}

/** Marks the token used; false when another request already did (only one rotation may win). */
export async function consumeRefreshToken(tx: Tx, id: string, replacedById: string): Promise<boolean> {
  const { count } = await tx.refreshToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date(), replacedById } });
  return count === 1;
}

export function revokeSession(tx: Tx, sessionId: string) {
  return tx.refreshToken.updateMany({ where: { sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}
