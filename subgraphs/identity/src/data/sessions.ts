import type { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

export function createRefreshToken(
  tx: Tx,
  data: { userId: string; tenantId: string; sessionId: string; tokenHash: string; expiresAt: Date },
) {
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

export function revokeUserSessions(tx: Tx, userId: string) {
  return tx.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** Any token of the session (for its owner and tenant); null when none is visible. */
export function findSessionOwner(tx: Tx, sessionId: string) {
  return tx.refreshToken.findFirst({ where: { sessionId }, select: { userId: true, tenantId: true } });
}

export interface SessionRow {
  id: string;
  userId: string;
  startedAt: Date;
  lastActiveAt: Date;
  expiresAt: Date;
}

/** Sessions still alive (a live, unexpired refresh token) of each user, with when each began. */
export async function activeSessionsOfUsers(
  tx: Tx,
  userIds: readonly string[],
  visible: Prisma.RefreshTokenWhereInput,
): Promise<SessionRow[]> {
  const live = await tx.refreshToken.findMany({
    where: { AND: [{ userId: { in: [...userIds] }, revokedAt: null, expiresAt: { gt: new Date() } }, visible] },
    orderBy: { createdAt: 'desc' },
  });
  if (!live.length) return [];
  const starts = await tx.refreshToken.groupBy({
    by: ['sessionId'],
    where: { sessionId: { in: live.map((t) => t.sessionId) } },
    _min: { createdAt: true },
  });
  const startOf = new Map(starts.map((s) => [s.sessionId, s._min.createdAt!]));
  return live.map((t) => ({
    id: t.sessionId,
    userId: t.userId,
    startedAt: startOf.get(t.sessionId) ?? t.createdAt,
    lastActiveAt: t.createdAt,
    expiresAt: t.expiresAt,
  }));
}
