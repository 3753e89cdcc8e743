import type { Identity } from './identity.ts';
import type { PermissionKey } from './permission-catalog/index.ts';

/**
 * How far an identity reaches (DOMAIN.md → Tenancy and scope): system_admin every tenant,
 * department_admin every facility of its tenant, everyone else their own facility.
 */
export type Reach = 'system' | 'tenant' | 'facility';

export function reachOf(identity: Identity): Reach {
  // A service account reaches its facility, or its tenant when it has none; never every tenant.
  if (identity.serviceAccount) return identity.facilityId ? 'facility' : 'tenant';
  if (identity.roles.includes('system_admin')) return 'system';
  if (identity.roles.includes('department_admin')) return 'tenant';
  return 'facility';
}

/**
 * The one tenant all of a caller's rows belong to (null for system reach: every tenant), for a raw
 * query to name as a plain `tenant_id = $1`. Row-Level Security already keeps the rows to that tenant,
 * but under RLS Postgres may use a query's condition as an index condition only when its operator is
 * leakproof: uuid equality is, full-text `@@` and cube's `<@` are not. Without this equality such a
 * query reads every tenant's rows (a sequential scan growing with the whole table); with it, the
 * tenant's own through a `(tenant_id, …)` btree.
 */
export const tenantOf = (identity: Identity): string | null => (reachOf(identity) === 'system' ? null : identity.tenantId);

/** A facility id no row has: a facility-reach caller without a facility matches nothing. */
export const NO_FACILITY = '00000000-0000-0000-0000-000000000000';

export const hasPermission = (identity: Identity | null, key: PermissionKey): boolean => !!identity?.permissions.includes(key);

/** A filter on a row's tenant and, by the column `F`, its facility: assignable to any Prisma `WhereInput` (or Mongo filter) with those columns. */
export type ReachWhere<F extends string = 'facilityId'> = { tenantId?: string } & { [K in F]?: string };

/**
 * A Prisma `where` fragment restricting rows to the identity's reach. Resolvers AND it into their
 * queries so lists never return out-of-scope rows, whatever the client asks for.
 */
// Overloads, so a call without a field is `facilityId` whatever `where` it is assigned to (a generic
// default would be inferred from the expected type instead).
export function reachFilter(identity: Identity): ReachWhere;
export function reachFilter<F extends string>(identity: Identity, facilityField: F): ReachWhere<F>;
export function reachFilter<F extends string>(identity: Identity, facilityField: F = 'facilityId' as F): ReachWhere<F> {
  switch (reachOf(identity)) {
    case 'system':
      return {};
    case 'tenant':
      return { tenantId: identity.tenantId };
    case 'facility':
      // A computed key widens to `{ [x: string]: string }`; the shape is ReachWhere<F> by construction.
      return { tenantId: identity.tenantId, [facilityField]: identity.facilityId ?? NO_FACILITY } as ReachWhere<F>;
  }
}

/**
 * Catalog reach (platforms, courses): a catalog row with no facility serves its whole tenant, so
 * every caller of that tenant may see it; a row with a facility is seen by that facility's callers
 * (and tenant/system admins).
 */
export type CatalogReachWhere = { tenantId?: string; OR?: { facilityId: string | null }[] };

export function catalogReachFilter(identity: Identity): CatalogReachWhere {
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

/**
 * Tenant reach, for rows that belong to a tenant but to no facility (a partner's apartment is
 * offered to people of every facility): the caller's tenant, or everything for system reach.
 * A filter fragment for Prisma and MongoDB alike.
 */
export function tenantFilter(identity: Identity): { tenantId?: string } {
  return reachOf(identity) === 'system' ? {} : { tenantId: identity.tenantId };
}

/** Whether the caller works at one facility (facility reach with a facility), unlike analysts or department admins. */
export const isPlaced = (identity: Identity): boolean => reachOf(identity) === 'facility' && identity.facilityId != null;

/**
 * Reach for aggregates (counts, never personal data): a caller placed at a facility counts that
 * facility; one who is not (an analyst, a department admin) counts their tenant; system reach
 * counts every tenant. Never another tenant's rows.
 */
export function aggregateFilter(identity: Identity): ReachWhere;
export function aggregateFilter<F extends string>(identity: Identity, facilityField: F): ReachWhere<F>;
export function aggregateFilter<F extends string>(identity: Identity, facilityField: F = 'facilityId' as F): ReachWhere<F> {
  if (reachOf(identity) === 'system') return {};
  if (isPlaced(identity)) return { tenantId: identity.tenantId, [facilityField]: identity.facilityId ?? NO_FACILITY } as ReachWhere<F>;
  return { tenantId: identity.tenantId };
}

/**
 * An OR of Prisma filters. Prisma drops an empty `{}` inside `OR` (it then matches nothing), but an
 * empty branch means "every row" (system reach): so any empty branch makes the whole filter empty.
 */
export function anyOf<W extends object>(branches: W[]): W | { OR: W[] } {
  return branches.some((branch) => Object.keys(branch).length === 0) ? ({} as W) : { OR: branches };
}
