import { behaviorPermissions } from './behavior.ts';
import { campusPermissions } from './campus.ts';
import { gatewayPermissions } from './gateway.ts';
import { identityPermissions } from './identity.ts';
import { learningPermissions } from './learning.ts';
import { marketPermissions } from './market.ts';
import type { PermissionCatalog } from './types.ts';

export type { PermissionCatalog, PermissionEntry } from './types.ts';

/**
 * Every permission key the subgraphs check, one file per subgraph, with the roles that get it when
 * the key first appears. The identity subgraph writes new keys (and only their default grants) to
 * its tables at start; after that the tables are the truth, and an administrator's edit stays.
 */
export const PERMISSION_CATALOG = {
  ...identityPermissions,
  ...campusPermissions,
  ...learningPermissions,
  ...behaviorPermissions,
  ...marketPermissions,
  ...gatewayPermissions,
} as const satisfies PermissionCatalog;

/** A permission key the catalog defines: `can()` and `hasPermission()` accept nothing else, so a misspelled key fails `pnpm typecheck`. */
export type PermissionKey = keyof typeof PERMISSION_CATALOG;

/** Every key of the catalog. */
export const PERMISSION_KEYS = Object.keys(PERMISSION_CATALOG) as PermissionKey[];
