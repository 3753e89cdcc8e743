import { pageQuery, reachFilter, type Identity, type PageArgs } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

export interface UserFilter {
  facilityId?: string | null;
  role?: string | null;
  status?: Prisma.UserWhereInput['status'] | null;
  search?: string | null;
}

const sortColumns = { CREATED_AT: 'createdAt', LAST_NAME: 'lastName', USERNAME: 'username' } as const;
export type UserSortField = keyof typeof sortColumns;

export function findUsersByIds(tx: Tx, ids: readonly string[]) {
  return tx.user.findMany({ where: { id: { in: [...ids] }, deletedAt: null } });
}

export function findUserForLogin(tx: Tx, username: string) {
  return tx.user.findFirst({ where: { username, deletedAt: null }, include: { roles: { include: { role: true } } } });
}

/** One page of people inside the identity's reach; the reach filter is ANDed in whatever the client asks. */
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
      { deletedAt: null },
      reachFilter(identity, 'homeFacilityId') as Prisma.UserWhereInput,
      query.where as Prisma.UserWhereInput,
      filter.facilityId ? { homeFacilityId: filter.facilityId } : {},
      filter.status ? { status: filter.status } : {},
      filter.role ? { roles: { some: { role: { name: filter.role } } } } : {},
      search
        ? { OR: ['username', 'firstName', 'lastName', 'email'].map((field) => ({ [field]: { contains: search, mode: 'insensitive' } })) }
        : {},
    ],
  };
  const rows = await tx.user.findMany({ where, orderBy: query.orderBy as Prisma.UserOrderByWithRelationInput[], take: query.take });
  return { rows, query, sortField };
}

export function roleNamesOfUsers(tx: Tx, userIds: readonly string[]) {
  return tx.userRole.findMany({ where: { userId: { in: [...userIds] } }, include: { role: true } });
}

/** A successful sign-in: login metrics up, the failure counter back to zero. */
export function recordLogin(tx: Tx, userId: string) {
  return tx.user.update({
    where: { id: userId },
    data: { lastLoginAt: new Date(), loginCount: { increment: 1 }, failedLoginCount: 0, firstFailedLoginAt: null },
  });
}

/** Locks the person's row for the rest of the transaction, so concurrent changes to it queue up. */
export async function lockUser(tx: Tx, id: string) {
  await tx.$queryRaw`SELECT id FROM users WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.user.findFirst({ where: { id, deletedAt: null }, include: { roles: { include: { role: true } } } });
}
export type UserWithRoles = NonNullable<Awaited<ReturnType<typeof lockUser>>>;

/** Active system administrators other than `exceptUserId` (callers hold the system_admin role row lock). */
export function countOtherSystemAdmins(tx: Tx, exceptUserId: string) {
  return tx.user.count({
    where: { id: { not: exceptUserId }, status: 'active', deletedAt: null, roles: { some: { role: { name: 'system_admin' } } } },
  });
}

export function findTenantsByIds(tx: Tx, ids: readonly string[]) {
  return tx.tenant.findMany({ where: { id: { in: [...ids] } } });
}
