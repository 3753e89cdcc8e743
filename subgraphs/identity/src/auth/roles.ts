import { badInput, publishRolePermissions, type Redis, type ScopedDb } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import { findRoleByName, listRoles, replaceRolePermissions, rolePermissionMap } from '../data/rbac.ts';

/** The grant without which nobody could ever change roles again: system_admin must keep it. */
const LOCKOUT_GUARD = { role: 'system_admin', permission: 'identity.role.manage' };

/**
 * Changes what a role may do. The change is committed, then the permission directory is
 * republished, so the gateway applies it to the very next request: no restart, no new tokens.
 */
export async function setRolePermissions(db: ScopedDb<Prisma.TransactionClient>, redis: Redis, roleName: string, keys: readonly string[]) {
  const unique = [...new Set(keys)];
  if (roleName === LOCKOUT_GUARD.role && !unique.includes(LOCKOUT_GUARD.permission))
    throw badInput(`${LOCKOUT_GUARD.role} must keep ${LOCKOUT_GUARD.permission}, or no one could manage roles again.`, {
      permissions: 'would lock out role management',
    });
  const role = await db.run(async (tx) => {
    const found = await findRoleByName(tx, roleName);
    if (!found) throw badInput(`There is no role named "${roleName}".`, { role: 'unknown role' });
    const { unknown } = await replaceRolePermissions(tx, found.id, unique);
    if (unknown.length) throw badInput(`Unknown permission keys: ${unknown.join(', ')}.`, { permissions: 'unknown keys' });
    return found;
  });
  await db.run(async (tx) => publishRolePermissions(redis, await rolePermissionMap(tx)));
  const roles = await db.run((tx) => listRoles(tx));
  const updated = roles.find((r) => r.id === role.id)!;
  return { ...updated, permissions: updated.permissions.map((rp) => rp.permission.key).sort() };
}
