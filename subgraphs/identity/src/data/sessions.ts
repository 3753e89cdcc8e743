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

/** Ends the session (its refresh tokens stop working); returns its id, for the ended-sessions list (kit ended-sessions.ts). */
export async function revokeSession(tx: Tx, sessionId: string): Promise<string[]> {
  await tx.refreshToken.updateMany({ where: { sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
  return [sessionId];
}

/** Ends every session of the person; returns the ids of those still alive until now. */
export async function revokeUserSessions(tx: Tx, userId: string): Promise<string[]> {
  const live = await tx.refreshToken.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
    distinct: ['sessionId'],
    select: { sessionId: true },
  });
  await tx.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return live.map((t) => t.sessionId);
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
