import type { Prisma } from '../generated/prisma/client.ts';
import { recordHistory } from '../data/history.ts';

type Tx = Prisma.TransactionClient;

export interface LockoutSettings {
  maxFailures: number;
  windowSeconds: number;
  lockoutSeconds: number;
}

export const isLocked = (user: { lockedUntil: Date | null }, now = new Date()) => !!user.lockedUntil && user.lockedUntil > now;

/**
 * Records one wrong password for a known account and locks it on the Nth within the window.
 * The person's row is locked first (SELECT … FOR UPDATE), so concurrent failures are counted one
 * after another and exactly: attempts arriving once the account is locked are recorded but not counted.
 * Returns whether the account is locked now.
 */
export async function recordFailedLogin(tx: Tx, userId: string, settings: LockoutSettings): Promise<boolean> {
  const [row] = await tx.$queryRaw<
    { tenant_id: string; failed_login_count: number; first_failed_login_at: Date | null; locked_until: Date | null }[]
  >`
    SELECT tenant_id, failed_login_count, first_failed_login_at, locked_until FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
  if (!row) return false;
  const now = new Date();
  if (isLocked({ lockedUntil: row.locked_until }, now)) {
    await tx.failedLogin.create({ data: { tenantId: row.tenant_id, userId, reason: 'locked', counted: false } });
    return true;
  }
  const windowOpen = row.first_failed_login_at && now.getTime() - row.first_failed_login_at.getTime() < settings.windowSeconds * 1000;
  const count = windowOpen ? row.failed_login_count + 1 : 1;
  const firstFailedLoginAt = windowOpen ? row.first_failed_login_at : now;
  await tx.failedLogin.create({ data: { tenantId: row.tenant_id, userId, reason: 'bad_password', counted: true } });
  if (count < settings.maxFailures) {
    await tx.user.update({ where: { id: userId }, data: { failedLoginCount: count, firstFailedLoginAt } });
    return false;
  }
  const lockedUntil = new Date(now.getTime() + settings.lockoutSeconds * 1000);
  await tx.user.update({ where: { id: userId }, data: { failedLoginCount: 0, firstFailedLoginAt: null, lockedUntil } });
  await recordHistory(tx, {
    tenantId: row.tenant_id,
    userId,
    actorId: null,
    action: 'account_locked',
    after: { lockedUntil: lockedUntil.toISOString(), failures: count },
    reason: `${count} wrong passwords within ${settings.windowSeconds} s`,
  });
  return true;
}

/** A refused attempt while locked (right or wrong password): recorded, not counted. */
export function recordRefusedWhileLocked(tx: Tx, user: { id: string; tenantId: string }) {
  return tx.failedLogin.create({ data: { tenantId: user.tenantId, userId: user.id, reason: 'locked', counted: false } });
}
