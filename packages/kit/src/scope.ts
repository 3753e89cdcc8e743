import type { Identity } from './identity.ts';

/**
 * How far an identity reaches (DOMAIN.md → Tenancy and scope): system_admin every tenant,
 * department_admin every facility of its tenant, everyone else their own facility.
 */
export type Reach = 'system' | 'tenant' | 'facility';

export function reachOf(identity: Identity): Reach {
  if (identity.roles.includes('system_admin')) return 'system';
  if (identity.roles.includes('department_admin')) return 'tenant';
  return 'facility';
}

export interface Scoped {
  tenantId: string;
  facilityId?: string | null;
}

/** Whether a row that belongs to a tenant (and maybe a facility) is inside the identity's reach. */
export function withinReach(identity: Identity, row: Scoped): boolean {
  switch (reachOf(identity)) {
    case 'system':
      return true;
    case 'tenant':
      return row.tenantId === identity.tenantId;
    case 'facility':
      return row.tenantId === identity.tenantId && row.facilityId != null && row.facilityId === identity.facilityId;
  }
}

export const hasPermission = (identity: Identity | null, key: string): boolean => !!identity?.permissions.includes(key);

/**
 * A Prisma `where` fragment restricting rows to the identity's reach. Resolvers AND it into their
 * queries so lists never return out-of-scope rows, whatever the client asks for.
 */
export function reachFilter(identity: Identity, facilityField = 'facilityId'): Record<string, unknown> {
  switch (reachOf(identity)) {
    case 'system':
      return {};
    case 'tenant':
      return { tenantId: identity.tenantId };
    case 'facility':
      return { tenantId: identity.tenantId, [facilityField]: identity.facilityId ?? '00000000-0000-0000-0000-000000000000' };
  }
}
