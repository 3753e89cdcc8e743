import { reachOf, type Identity, type Scoped } from '@pathway/kit';

/**
 * Catalog reach (platforms and courses). Unlike personal rows, a catalog row with no facility
 * serves its whole tenant, so every caller of that tenant may see it; a row with a facility is
 * seen by that facility's callers (and tenant/system admins). Candidate for the kit.
 */
export function catalogReachFilter(identity: Identity): Record<string, unknown> {
  switch (reachOf(identity)) {
    case 'system':
      return {};
    case 'tenant':
      return { tenantId: identity.tenantId };
    case 'facility':
      return {
        tenantId: identity.tenantId,
        OR: identity.facilityId ? [{ facilityId: null }, { facilityId: identity.facilityId }] : [{ facilityId: null }],
      };
  }
}

export function withinCatalogReach(identity: Identity, row: Scoped): boolean {
  switch (reachOf(identity)) {
    case 'system':
      return true;
    case 'tenant':
      return row.tenantId === identity.tenantId;
    case 'facility':
      return row.tenantId === identity.tenantId && (row.facilityId == null || row.facilityId === identity.facilityId);
  }
}
