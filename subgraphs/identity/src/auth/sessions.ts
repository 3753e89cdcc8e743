import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { signAccessToken, unauthenticated, withScope, type EndedSessions, type Role } from '@pathway/kit';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { consumeRefreshToken, createRefreshToken, findRefreshToken, revokeSession } from '../data/sessions.ts';
import { findUserForLogin, recordLogin } from '../data/users.ts';
import { isLocked, recordFailedLogin, recordRefusedWhileLocked, type LockoutSettings } from './lockout.ts';
import { verifyPassword } from './passwords.ts';

export interface TokenSettings {
  accessSecret: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  lockout: LockoutSettings;
}

export interface AuthPayload {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  userId: string;
  /** Signed in with an administrator's temporary password: change it (changePassword) before anything else. */
  mustChangePassword: boolean;
}

const BAD_CREDENTIALS = 'The username or password is incorrect.';
const BAD_REFRESH = 'This session has ended. Sign in again.';
/**
 * A locked account answers exactly like a wrong password: saying "locked" would tell an attacker
 * that the username exists. The person learns it from an administrator, who sees `lockedUntil`.
 */
const locked = () => unauthenticated(BAD_CREDENTIALS);

/**
 * A transaction as the service (every tenant), with the kit's transaction limits (DATABASE_TX_MAX_WAIT_MS,
 * generous by default): a burst of sign-ins against one account queues on its row lock, and every
 * attempt must still be counted rather than fail with a timeout.
 */
const asService = <R>(prisma: PrismaClient, fn: (tx: Prisma.TransactionClient) => Promise<R>): Promise<R> =>
  withScope(prisma, 'service', fn);

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

interface SessionUser {
  id: string;
  tenantId: string;
  homeFacilityId: string | null;
  mustChangePassword?: boolean | null;
  roles: { role: { name: string } }[];
}

/**
 * Sign-in and token rotation. Login and refresh run before anyone is identified, so they act as
 * the service (all tenants) and reveal nothing beyond "that did not work".
 */
export class SessionService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly settings: TokenSettings,
    private readonly endedSessions: EndedSessions,
  ) {}

  /** After the commit that ended them: the sessions' access tokens are refused from now on, not only when they expire. */
  ended(sessionIds: readonly string[]): Promise<void> {
    return this.endedSessions.end(sessionIds, this.settings.accessTtlSeconds);
  }

  /** A new session for a person already verified (changePassword), inside the caller's transaction. */
  async start(tx: Prisma.TransactionClient, user: SessionUser): Promise<AuthPayload> {
    const { refreshTokenId: _id, ...payload } = await this.issue(tx, user, randomUUID());
    return { ...payload, mustChangePassword: !!user.mustChangePassword };
  }

  async login(username: string, password: string): Promise<AuthPayload> {
    const user = await asService(this.prisma, (tx) => findUserForLogin(tx, username));
    if (user && isLocked(user)) {
      await asService(this.prisma, (tx) => recordRefusedWhileLocked(tx, user));
      throw locked();
    }
    const ok = await verifyPassword(user?.passwordHash ?? null, password);
    if (user && !ok) {
      const nowLocked = await asService(this.prisma, (tx) => recordFailedLogin(tx, user.id, this.settings.lockout));
      throw nowLocked ? locked() : unauthenticated(BAD_CREDENTIALS);
    }
    if (!user || !ok || user.status !== 'active') throw unauthenticated(BAD_CREDENTIALS);
    return asService(this.prisma, async (tx) => {
      // Re-checked under the row lock: a lockout committed while the password was being verified wins.
      const [row] = await tx.$queryRaw<
        { locked_until: Date | null }[]
      >`SELECT locked_until FROM users WHERE id = ${user.id}::uuid FOR UPDATE`;
      if (row && isLocked({ lockedUntil: row.locked_until })) throw locked();
      await recordLogin(tx, user.id);
      const { refreshTokenId: _id, ...payload } = await this.issue(tx, user, randomUUID());
      return { ...payload, mustChangePassword: user.mustChangePassword };
    });
  }

  async refresh(refreshToken: string): Promise<AuthPayload> {
    let reused: string[] = [];
    const outcome = await asService(this.prisma, async (tx) => {
      const stored = await findRefreshToken(tx, sha256(refreshToken));
      if (!stored || stored.expiresAt < new Date() || stored.user.status !== 'active' || stored.user.deletedAt || isLocked(stored.user))
        return null;
      if (stored.revokedAt) {
        // A rotated token came back: someone holds a copy. End the whole session (committed, then refused).
        reused = await revokeSession(tx, stored.sessionId);
        return null;
      }
      const next = await this.issue(tx, stored.user, stored.sessionId);
      // Two refreshes racing with one token: only one may consume it; the loser's new token rolls back.
      if (!(await consumeRefreshToken(tx, stored.id, next.refreshTokenId))) throw unauthenticated(BAD_REFRESH);
      const { refreshTokenId: _id, ...payload } = next;
      return { ...payload, mustChangePassword: stored.user.mustChangePassword };
    });
    await this.ended(reused);
    if (!outcome) throw unauthenticated(BAD_REFRESH);
    return outcome;
  }

  async logout(refreshToken: string): Promise<boolean> {
    const ended = await asService(this.prisma, async (tx) => {
      const stored = await findRefreshToken(tx, sha256(refreshToken));
      return stored ? revokeSession(tx, stored.sessionId) : [];
    });
    await this.ended(ended);
    return true;
  }

  private async issue(tx: Parameters<typeof createRefreshToken>[0], user: SessionUser, sessionId: string) {
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshTokenExpiresAt = new Date(Date.now() + this.settings.refreshTtlSeconds * 1000);
    const row = await createRefreshToken(tx, {
      userId: user.id,
      tenantId: user.tenantId,
      sessionId,
      tokenHash: sha256(refreshToken),
      expiresAt: refreshTokenExpiresAt,
    });
    const access = await signAccessToken(
      {
        userId: user.id,
        tenantId: user.tenantId,
        facilityId: user.homeFacilityId,
        roles: user.roles.map((r) => r.role.name as Role),
        sessionId,
        mustChangePassword: !!user.mustChangePassword,
      },
      this.settings.accessSecret,
      this.settings.accessTtlSeconds,
    );
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken,
      refreshTokenExpiresAt,
      userId: user.id,
      refreshTokenId: row.id,
    };
  }
}
