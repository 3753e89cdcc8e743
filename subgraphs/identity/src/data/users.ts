import { hasPermission, pageQuery, reachOf, type Identity, type PageArgs, type PersonNames, type PersonRef, type Role } from '@pathway/kit';
import { userAccess } from '../access.ts';
import type { UserFilter, UserSortField } from '../generated/graphql.ts';
import type { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

const sortColumns = { CREATED_AT: 'createdAt', LAST_NAME: 'lastName', USERNAME: 'username' } as const satisfies Record<
  UserSortField,
  string
>;

/** The people of `ids` that `visible` (the caller's access filter, access.ts) lets through. */
export function findUsersByIds(tx: Tx, ids: readonly string[], visible: Prisma.UserWhereInput) {
  return tx.user.findMany({ where: { AND: [{ id: { in: [...ids] } }, visible] } });
}

export function findUserForLogin(tx: Tx, username: string) {
  return tx.user.findFirst({ where: { username, deletedAt: null }, include: { roles: { include: { role: true } } } });
}

/** One page of the people the identity may see; their access filter is ANDed in whatever the client asks. */
export async function listUsers(
  tx: Tx,
  identity: Identity,
  filter: UserFilter,
  page: PageArgs,
  sort: { field: UserSortField; direction: 'ASC' | 'DESC' },
) {
  const sortField = sortColumns[sort.field];
  const query = pageQuery(page, sortField, sort.direction === 'ASC' ? 'asc' : 'desc');
  // LIKE wildcards in what people type are literal characters, not patterns.
  const search = filter.search?.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
  const where: Prisma.UserWhereInput = {
    AND: [
      userAccess.where(identity),
      query.where,
      filter.facilityId ? { homeFacilityId: filter.facilityId } : {},
      filter.status ? { status: filter.status } : {},
      filter.role ? { roles: { some: { role: { name: filter.role } } } } : {},
      search
        ? { OR: ['username', 'firstName', 'lastName', 'email'].map((field) => ({ [field]: { contains: search, mode: 'insensitive' } })) }
        : {},
    ],
  };
  const rows = await tx.user.findMany({ where, orderBy: query.orderBy, take: query.take });
  return { rows, query, sortField };
}

export function roleNamesOfUsers(tx: Tx, userIds: readonly string[], visible: Prisma.UserRoleWhereInput) {
  return tx.userRole.findMany({ where: { AND: [{ userId: { in: [...userIds] } }, visible] }, include: { role: true } });
}

/** A successful sign-in: login metrics up, the failure counter back to zero. */
export function recordLogin(tx: Tx, userId: string) {
  return tx.user.update({
    where: { id: userId },
    data: { lastLoginAt: new Date(), loginCount: { increment: 1 }, failedLoginCount: 0, firstFailedLoginAt: null },
  });
}

/**
 * Locks the person's row for the rest of the transaction, so concurrent changes to it queue up; null
 * when deleted or not `visible` (the caller's access filter).
 */
export async function lockUser(tx: Tx, id: string, visible: Prisma.UserWhereInput) {
  await tx.$queryRaw`SELECT id FROM users WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.user.findFirst({ where: { AND: [{ id, deletedAt: null }, visible] }, include: { roles: { include: { role: true } } } });
}
export type UserWithRoles = NonNullable<Awaited<ReturnType<typeof lockUser>>>;

/** Active system administrators other than `exceptUserId` (callers hold the system_admin role row lock). */
export function countOtherSystemAdmins(tx: Tx, exceptUserId: string) {
  return tx.user.count({
    where: { id: { not: exceptUserId }, status: 'active', deletedAt: null, roles: { some: { role: { name: 'system_admin' } } } },
  });
}

export function findTenantsByIds(tx: Tx, ids: readonly string[], visible: Prisma.TenantWhereInput) {
  return tx.tenant.findMany({ where: { AND: [{ id: { in: [...ids] } }, visible] } });
}

/** The people of `ids` in the identity's tenant (every tenant for system reach), as other subgraphs' writes check them (kit references.ts). */
export async function personRefs(tx: Tx, identity: Identity, ids: readonly string[]): Promise<PersonRef[]> {
  const rows = await tx.user.findMany({
    where: { id: { in: [...ids] }, deletedAt: null, ...(reachOf(identity) === 'system' ? {} : { tenantId: identity.tenantId }) },
    select: { id: true, tenantId: true, homeFacilityId: true, status: true, roles: { select: { role: { select: { name: true } } } } },
  });
  return rows.map((u) => ({
    id: u.id,
    tenantId: u.tenantId,
    facilityId: u.homeFacilityId,
    status: u.status,
    roles: u.roles.map((r) => r.role.name as Role),
  }));
}

/** What the caller may read of these people's names (kit references.ts `PersonNames`): User's field rules, said again for a lookup. */
export async function personNames(tx: Tx, identity: Identity, ids: readonly string[]): Promise<PersonNames[]> {
  const rows = await tx.user.findMany({
    where: { AND: [{ id: { in: [...ids] } }, userAccess.where(identity)] },
    select: { id: true, firstName: true, lastName: true, docId: true },
  });
  const names = hasPermission(identity, 'identity.user.read_name');
  const numbers = hasPermission(identity, 'identity.user.read_resident_number');
  return rows.map((u) => {
    const self = u.id === identity.userId;
    return {
      id: u.id,
      displayName: self || names ? `${u.firstName} ${u.lastName}` : null,
      residentNumber: self || numbers ? u.docId : null,
    };
  });
}
