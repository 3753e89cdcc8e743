import { Roles } from '@pathway/kit';
import type { PrismaClient, Prisma } from '../generated/prisma/client.ts';
import { DEFAULT_GRANTS, PERMISSIONS } from '../rbac-catalog.ts';

type Tx = Prisma.TransactionClient;

/** Role name → permission keys, straight from the permission tables. */
export async function rolePermissionMap(db: Tx | PrismaClient): Promise<Record<string, string[]>> {
  const roles = await db.role.findMany({ include: { permissions: { include: { permission: true } } } });
  return Object.fromEntries(roles.map((role) => [role.name, role.permissions.map((rp) => rp.permission.key)]));
}

/** On a database with no roles yet, writes the catalog and default grants. Never overwrites later edits. */
export async function bootstrapRbac(db: PrismaClient): Promise<boolean> {
  if ((await db.role.count()) > 0) return false;
  await db.$transaction(async (tx) => {
    await tx.permission.createMany({ data: Object.entries(PERMISSIONS).map(([key, description]) => ({ key, description })), skipDuplicates: true });
    await tx.role.createMany({ data: Roles.map((name) => ({ name })), skipDuplicates: true });
    const roles = new Map((await tx.role.findMany()).map((r) => [r.name, r.id]));
    const permissions = new Map((await tx.permission.findMany()).map((p) => [p.key, p.id]));
    const grants = Object.entries(DEFAULT_GRANTS).flatMap(([role, keys]) => keys.map((key) => ({ roleId: roles.get(role)!, permissionId: permissions.get(key)! })));
    await tx.rolePermission.createMany({ data: grants, skipDuplicates: true });
  });
  return true;
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
