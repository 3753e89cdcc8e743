import type { Role } from '../identity.ts';

/** A permission key, what it allows, and the roles that get it when the key first appears. */
export interface PermissionEntry {
  description: string;
  grantedTo: readonly Role[];
}
export type PermissionCatalog = Record<string, PermissionEntry>;

export const ADMINS = ['system_admin', 'department_admin', 'facility_admin'] as const satisfies readonly Role[];
export const STAFF_AND_ADMINS = [...ADMINS, 'staff'] as const satisfies readonly Role[];
