import { badInput, conflict, forbidden, hasPermission, notFound, parseInput, rethrowDuplicate } from '@pathway/kit';
import { userAccess } from '../access.ts';
import type { Prisma, User, UserStatus } from '../generated/prisma/client.ts';
import { hashPassword } from '../auth/passwords.ts';
import { accountSnapshot, changedKeys, recordHistory } from '../data/history.ts';
import { findRoleByName } from '../data/rbac.ts';
import { findSessionOwner, revokeSession, revokeUserSessions } from '../data/sessions.ts';
import type { UserWithRoles } from '../data/users.ts';
import type { ResolverContext } from '../context.ts';
import { assertMayGrant, assertNotLastSystemAdmin, assertNotSelf, lockManageable } from './guards.ts';
import { updateUserSchema } from './inputs.ts';
import { checkPasswordPolicy } from './password-policy.ts';

type Tx = Prisma.TransactionClient;
const rolesOf = (user: UserWithRoles) => user.roles.map((r) => r.role.name);

/**
 * One administrative change to one person, in one transaction: lock and scope-check the person,
 * apply `change`, and record before → after in the account history. Any throw changes nothing.
 */
async function changeUser(
  ctx: ResolverContext,
  userId: string,
  action: string,
  change: (tx: Tx, user: UserWithRoles) => Promise<{ user: User; roles?: string[]; reason?: string | null }>,
): Promise<User> {
  const identity = ctx.identity;
  return ctx.db
    .run(async (tx) => {
      const user = await lockManageable(tx, identity, userId);
      const before = accountSnapshot(user, rolesOf(user));
      const result = await change(tx, user);
      const diff = changedKeys(before, accountSnapshot(result.user, result.roles ?? rolesOf(user)));
      await recordHistory(tx, {
        tenantId: user.tenantId,
        userId: user.id,
        actorId: identity.userId,
        action,
        ...diff,
        reason: result.reason ?? null,
      });
      return result.user;
    })
    .catch(rethrowDuplicate('That username or email is already in use. Nothing was changed.'))
    .then((user) => {
      ctx.loaders.user.clear(user.id);
      return user;
    });
}

export function updateUser(ctx: ResolverContext, id: string, raw: unknown) {
  const input = parseInput(updateUserSchema, raw);
  return changeUser(ctx, id, 'account_update', async (tx, user) => {
    if (
      input.email &&
      input.email !== user.email &&
      (await tx.user.findFirst({ where: { tenantId: user.tenantId, email: input.email, id: { not: user.id } } }))
    )
      throw conflict('That email is already used in this tenant. Nothing was changed.', {
        reason: 'DUPLICATE',
        fields: ['email'],
        fieldErrors: { email: 'already used in this tenant' },
      });
    const data: Prisma.UserUpdateInput = {
      ...(input.username ? { username: input.username } : {}),
      ...(input.email ? { email: input.email } : {}),
      ...(input.firstName ? { firstName: input.firstName } : {}),
      ...(input.lastName ? { lastName: input.lastName } : {}),
      ...(input.residentNumber !== undefined ? { docId: input.residentNumber || null } : {}),
    };
    return { user: await tx.user.update({ where: { id: user.id }, data }) };
  });
}

/** Active ↔ inactive/suspended → deactivated; any of them back to active (reactivate). A reason is required. */
export async function setUserStatus(ctx: ResolverContext, id: string, status: UserStatus, reason: string) {
  if (!reason.trim()) throw badInput('Say why the status changes.', { reason: 'required' });
  if (status !== 'active') assertNotSelf(ctx.identity, id, 'deactivate or suspend');
  let ended: string[] = [];
  const changed = await changeUser(ctx, id, 'status_change', async (tx, user) => {
    if (user.status === status) throw conflict(`The account is already ${status}.`, { reason: 'ALREADY_IN_STATE' });
    if (status !== 'active') {
      await assertNotLastSystemAdmin(tx, user);
      // Whoever is signed in as this person is signed out, their access tokens too (after the commit, below).
      ended = await revokeUserSessions(tx, user.id);
    }
    const data = {
      status,
      statusReason: reason.trim(),
      deactivatedAt: status === 'deactivated' ? new Date() : status === 'active' ? null : user.deactivatedAt,
    };
    return { user: await tx.user.update({ where: { id: user.id }, data }), reason: reason.trim() };
  });
  await ctx.sessions.ended(ended);
  return changed;
}

/** Soft delete: the row stays for the history, the person disappears from every query and cannot sign in. */
export async function deleteUser(ctx: ResolverContext, id: string, reason: string | null | undefined) {
  assertNotSelf(ctx.identity, id, 'delete');
  let ended: string[] = [];
  await changeUser(ctx, id, 'account_deleted', async (tx, user) => {
    await assertNotLastSystemAdmin(tx, user);
    ended = await revokeUserSessions(tx, user.id);
    return {
      user: await tx.user.update({
        where: { id: user.id },
        data: { deletedAt: new Date(), status: 'deactivated', deactivatedAt: new Date() },
      }),
      reason: reason ?? null,
    };
  });
  await ctx.sessions.ended(ended);
  return true;
}

/** Moves a person's home facility (UnlockEdv2 "resident transfer"). Facility admins may send people out of their facility. */
export async function transferResident(ctx: ResolverContext, id: string, facilityId: string, reason: string | null | undefined) {
  // Campus vouches for the facility (kit references.ts); the caller may send people out of their facility, to any of the tenant's.
  const facility = (await ctx.references.facilities([facilityId])).get(facilityId);
  return changeUser(ctx, id, 'facility_transfer', async (tx, user) => {
    if (facility?.tenantId !== user.tenantId) throw notFound('The facility (`facilityId`)');
    if (user.homeFacilityId === facilityId) throw conflict('The person already lives in that facility.', { reason: 'ALREADY_IN_STATE' });
    return { user: await tx.user.update({ where: { id: user.id }, data: { homeFacilityId: facilityId } }), reason: reason ?? null };
  });
}

/** An administrator sets a temporary password; the person must change it at next sign-in, and all their sessions end. */
export async function resetPassword(ctx: ResolverContext, id: string, temporaryPassword: string) {
  const target = await ctx.db.run((tx) => tx.user.findFirst({ where: { id, deletedAt: null }, select: { username: true } }));
  checkPasswordPolicy(temporaryPassword, target?.username ?? null, 'temporaryPassword');
  const passwordHash = await hashPassword(temporaryPassword);
  let ended: string[] = [];
  const changed = await changeUser(ctx, id, 'reset_password', async (tx, user) => {
    ended = await revokeUserSessions(tx, user.id);
    const data = { passwordHash, mustChangePassword: true, failedLoginCount: 0, firstFailedLoginAt: null, lockedUntil: null };
    return { user: await tx.user.update({ where: { id: user.id }, data }) };
  });
  await ctx.sessions.ended(ended);
  return changed;
}

export function assignRole(ctx: ResolverContext, userId: string, roleName: string) {
  assertMayGrant(ctx.identity, roleName);
  return changeUser(ctx, userId, 'role_assigned', async (tx, user) => {
    const role = await findRoleByName(tx, roleName);
    if (!role) throw badInput(`There is no role named "${roleName}".`, { role: 'unknown role' });
    if (user.roles.some((r) => r.roleId === role.id))
      throw conflict(`The person already has the ${roleName} role.`, { reason: 'ALREADY_IN_STATE' });
    await tx.userRole.create({ data: { userId: user.id, roleId: role.id, tenantId: user.tenantId, assignedBy: ctx.identity.userId } });
    return { user, roles: [...rolesOf(user), roleName] };
  });
}

export function revokeRole(ctx: ResolverContext, userId: string, roleName: string) {
  assertMayGrant(ctx.identity, roleName);
  return changeUser(ctx, userId, 'role_revoked', async (tx, user) => {
    const role = await findRoleByName(tx, roleName);
    if (!role) throw badInput(`There is no role named "${roleName}".`, { role: 'unknown role' });
    if (!user.roles.some((r) => r.roleId === role.id))
      throw badInput(`The person does not have the ${roleName} role.`, { role: 'not assigned' });
    if (roleName === 'system_admin') await assertNotLastSystemAdmin(tx, user);
    await tx.userRole.delete({ where: { userId_roleId: { userId: user.id, roleId: role.id } } });
    return { user, roles: rolesOf(user).filter((r) => r !== roleName) };
  });
}

export function unlockUser(ctx: ResolverContext, id: string) {
  return changeUser(ctx, id, 'account_unlocked', async (tx, user) => {
    if (!user.lockedUntil || user.lockedUntil <= new Date()) throw badInput('The account is not locked.', { id: 'not locked' });
    const data = { lockedUntil: null, failedLoginCount: 0, firstFailedLoginAt: null };
    const updated = await tx.user.update({ where: { id: user.id }, data });
    return { user: updated };
  });
}

/** Ends one session: your own, or one of a person you administer. */
export async function endSession(ctx: ResolverContext, sessionId: string) {
  const identity = ctx.identity;
  const ended = await ctx.db.run(async (tx) => {
    const owner = await findSessionOwner(tx, sessionId);
    if (!owner) throw notFound('Session');
    if (owner.userId !== identity.userId) {
      if (!hasPermission(identity, 'identity.user.manage')) throw notFound('Session');
      await lockManageable(tx, identity, owner.userId);
    }
    const ids = await revokeSession(tx, sessionId);
    await recordHistory(tx, {
      tenantId: owner.tenantId,
      userId: owner.userId,
      actorId: identity.userId,
      action: 'session_revoked',
      after: { sessionId },
    });
    return ids;
  });
  await ctx.sessions.ended(ended);
  return true;
}

/** "Log out everywhere": ends every session of yourself, or of a person you administer. Returns how many ended. */
export async function endAllSessions(ctx: ResolverContext, userId: string) {
  const identity = ctx.identity;
  const ended = await ctx.db.run(async (tx) => {
    if (userId !== identity.userId) {
      if (!hasPermission(identity, 'identity.user.manage')) throw forbidden();
      await lockManageable(tx, identity, userId);
    }
    const user = await tx.user.findFirst({ where: { AND: [{ id: userId }, userAccess.where(identity)] } });
    if (!user) throw notFound('User');
    const sessions = await revokeUserSessions(tx, userId);
    await recordHistory(tx, {
      tenantId: user.tenantId,
      userId,
      actorId: identity.userId,
      action: 'sessions_revoked',
      after: { sessions: sessions.length },
    });
    return sessions;
  });
  await ctx.sessions.ended(ended);
  return ended.length;
}
