import { badInput, conflict, forbidden, notFound, reachOf, type Identity, type Reach } from '@pathway/kit';
import { userAccess } from '../access.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { countOtherSystemAdmins, lockUser, type UserWithRoles } from '../data/users.ts';

type Tx = Prisma.TransactionClient;

const RANK: Record<Reach, number> = { system: 3, tenant: 2, facility: 1 };
/** How far a role reaches, as DOMAIN.md scopes it. */
const roleRank = (role: string) => RANK[role === 'system_admin' ? 'system' : role === 'department_admin' ? 'tenant' : 'facility'];

/** Nobody hands out a role that reaches further than their own (a facility admin cannot mint a department admin). */
export function assertMayGrant(identity: Identity, role: string): void {
  if (roleRank(role) > RANK[reachOf(identity)]) throw forbidden(`Your role cannot grant the ${role} role.`);
}

/**
 * Locks and returns a person the caller may administer: one they may see (userAccess; otherwise it
 * does not exist for them) holding no role that reaches further than the caller's.
 */
export async function lockManageable(tx: Tx, identity: Identity, userId: string): Promise<UserWithRoles> {
  const user = await lockUser(tx, userId, userAccess.where(identity));
  if (!user) throw notFound('User');
  const top = Math.max(0, ...user.roles.map((r) => roleRank(r.role.name)));
  if (top > RANK[reachOf(identity)]) throw forbidden('You cannot administer someone whose role reaches further than yours.');
  return user;
}

/** A facility the caller may place people in: their own for facility-level admins. */
export function assertFacilityInReach(identity: Identity, facilityId: string | null, field = 'facilityId'): void {
  if (reachOf(identity) === 'facility' && facilityId !== identity.facilityId)
    throw forbidden('You can only place people in your own facility.');
  if (reachOf(identity) === 'facility' && !facilityId) throw badInput('A facility is required.', { [field]: 'required' });
}

export function assertNotSelf(identity: Identity, userId: string, what: string): void {
  if (userId === identity.userId) throw badInput(`You cannot ${what} your own account.`, { id: `cannot ${what} yourself` });
}

/**
 * Refuses to take away the last active system administrator. The system_admin role row is locked
 * first, so two such changes running at once are decided one after the other.
 */
export async function assertNotLastSystemAdmin(tx: Tx, user: UserWithRoles): Promise<void> {
  if (!user.roles.some((r) => r.role.name === 'system_admin') || user.status !== 'active') return;
  await tx.$queryRaw`SELECT id FROM roles WHERE name = 'system_admin' FOR UPDATE`;
  if ((await countOtherSystemAdmins(tx, user.id)) === 0)
    throw conflict('This is the last active system administrator; appoint another one first.', { reason: 'LAST_SYSTEM_ADMIN' });
}
