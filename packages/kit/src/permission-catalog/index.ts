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
export const PERMISSION_CATALOG: PermissionCatalog = {
  ...identityPermissions,
  ...campusPermissions,
  ...learningPermissions,
  ...behaviorPermissions,
  ...marketPermissions,
  ...gatewayPermissions,
};
