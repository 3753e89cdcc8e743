import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { signAccessToken, unauthenticated, withScope, type Role } from '@pathway/kit';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { consumeRefreshToken, createRefreshToken, findRefreshToken, revokeSession } from '../data/sessions.ts';
import { findUserForLogin, recordLogin } from '../data/users.ts';
import { verifyPassword } from './passwords.ts';

export interface TokenSettings {
  accessSecret: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

export interface AuthPayload {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  userId: string;
}

const BAD_CREDENTIALS = 'The username or password is incorrect.';
const BAD_REFRESH = 'This session has ended. Sign in again.';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

interface SessionUser {
  id: string;
  tenantId: string;
  homeFacilityId: string | null;
  roles: { role: { name: string } }[];
}

/**
 * Sign-in and token rotation. Login and refresh run before anyone is identified, so they act as
 * the service (all tenants) and reveal nothing beyond "that did not work".
 */
export class SessionService {
  constructor(private readonly prisma: PrismaClient, private readonly settings: TokenSettings) {}

  async login(username: string, password: string): Promise<AuthPayload> {
    const user = await withScope(this.prisma, 'service', (tx) => findUserForLogin(tx, username));
    const ok = await verifyPassword(user?.passwordHash ?? null, password);
    if (!user || !ok || user.status !== 'active') throw unauthenticated(BAD_CREDENTIALS);
    return withScope(this.prisma, 'service', async (tx) => {
      await recordLogin(tx, user.id);
      return this.issue(tx, user, randomUUID());
    });
  }

  async refresh(refreshToken: string): Promise<AuthPayload> {
    const outcome = await withScope(this.prisma, 'service', async (tx) => {
      const stored = await findRefreshToken(tx, sha256(refreshToken));
      if (!stored || stored.expiresAt < new Date() || stored.user.status !== 'active' || stored.user.deletedAt) return null;
      if (stored.revokedAt) {
        // A rotated token came back: someone holds a copy. End the whole session (committed, then refused).
        await revokeSession(tx, stored.sessionId);
        return null;
      }
      const next = await this.issue(tx, stored.user, stored.sessionId);
      // Two refreshes racing with one token: only one may consume it; the loser's new token rolls back.
      if (!(await consumeRefreshToken(tx, stored.id, next.refreshTokenId))) throw unauthenticated(BAD_REFRESH);
      return next;
    });
    if (!outcome) throw unauthenticated(BAD_REFRESH);
    return outcome;
  }

  async logout(refreshToken: string): Promise<boolean> {
    return withScope(this.prisma, 'service', async (tx) => {
      const stored = await findRefreshToken(tx, sha256(refreshToken));
      if (stored) await revokeSession(tx, stored.sessionId);
      return true;
    });
  }

  private async issue(tx: Parameters<typeof createRefreshToken>[0], user: SessionUser, sessionId: string) {
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshTokenExpiresAt = new Date(Date.now() + this.settings.refreshTtlSeconds * 1000);
    const row = await createRefreshToken(tx, { userId: user.id, tenantId: user.tenantId, sessionId, tokenHash: sha256(refreshToken), expiresAt: refreshTokenExpiresAt });
    const access = await signAccessToken(
      { userId: user.id, tenantId: user.tenantId, facilityId: user.homeFacilityId, roles: user.roles.map((r) => r.role.name as Role), sessionId },
      this.settings.accessSecret,
      this.settings.accessTtlSeconds,
    );
    return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken, refreshTokenExpiresAt, userId: user.id, refreshTokenId: row.id };
  }
}
