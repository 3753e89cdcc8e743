import { reachOf, type Identity } from '@pathway/kit';

// Properties and digital assets belong to a tenant, not to a facility: a partner's apartment is
// offered to people of every facility of the tenant. So for facility-reach roles (staff, residents,
// partners, facility admins) "within reach" means the same tenant; system admins see every tenant.

/** Prisma/Mongo filter fragment: the caller's tenant, or nothing for system reach. */
export function tenantFilter(identity: Identity): { tenantId?: string } {
  return reachOf(identity) === 'system' ? {} : { tenantId: identity.tenantId };
}

export function inTenant(identity: Identity, row: { tenantId: string }): boolean {
  return reachOf(identity) === 'system' || row.tenantId === identity.tenantId;
}
