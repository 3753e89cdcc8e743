import { PERMISSION_CATALOG, PERMISSION_KEYS, Roles, type Role } from '@pathway/kit';
import type { PrismaClient, Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

/** Role name → permission keys, straight from the permission tables. */
export async function rolePermissionMap(db: Tx | PrismaClient): Promise<Record<string, string[]>> {
  const roles = await db.role.findMany({ include: { permissions: { include: { permission: true } } } });
  return Object.fromEntries(roles.map((role) => [role.name, role.permissions.map((rp) => rp.permission.key)]));
}

/**
 * Makes sure every role and every catalog permission exists. A key seen for the first time gets
 * its default grants; keys already present are left as administrators set them. Returns the new keys.
 */
export async function syncPermissionCatalog(db: PrismaClient): Promise<string[]> {
  return db.$transaction(async (tx) => {
    await tx.role.createMany({ data: Roles.map((name) => ({ name })), skipDuplicates: true });
    const existing = new Set((await tx.permission.findMany({ select: { key: true } })).map((p) => p.key));
    const added = PERMISSION_KEYS.filter((key) => !existing.has(key));
    if (!added.length) return [];
    await tx.permission.createMany({
      data: added.map((key) => ({ key, description: PERMISSION_CATALOG[key].description })),
      skipDuplicates: true,
    });
    const roles = new Map((await tx.role.findMany()).map((r) => [r.name, r.id]));
    const permissions = new Map((await tx.permission.findMany({ where: { key: { in: added } } })).map((p) => [p.key, p.id]));
    const grants = added.flatMap((key) =>
      PERMISSION_CATALOG[key].grantedTo.map((role: Role) => ({ roleId: roles.get(role)!, permissionId: permissions.get(key)! })),
    );
    await tx.rolePermission.createMany({ data: grants, skipDuplicates: true });
    return added;
  });
}

export function listRoles(tx: Tx) {
  return tx.role.findMany({ orderBy: { name: 'asc' }, include: { permissions: { include: { permission: true } } } });
}

/** Replaces the permission set of a role. Returns the keys that do not exist (nothing is written then). */
export async function replaceRolePermissions(tx: Tx, roleId: string, keys: readonly string[]): Promise<{ unknown: string[] }> {
  const permissions = await tx.permission.findMany({ where: { key: { in: [...keys] } } });
  const unknown = keys.filter((key) => !permissions.some((p) => p.key === key));
  if (unknown.length) return { unknown };
  await tx.rolePermission.deleteMany({ where: { roleId } });
  await tx.rolePermission.createMany({ data: permissions.map((p) => ({ roleId, permissionId: p.id })) });
  return { unknown: [] };
}

export function findRoleByName(tx: Tx, name: string) {
  return tx.role.findUnique({ where: { name } });
}

export function findRolesByName(tx: Tx, names: string[]) {
  return tx.role.findMany({ where: { name: { in: names } } });
}
