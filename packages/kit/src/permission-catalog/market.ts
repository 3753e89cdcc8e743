import type { PermissionCatalog } from './types.ts';
import { ADMINS, STAFF_AND_ADMINS } from './types.ts';

export const marketPermissions = {
  'market.property.read': { description: 'See property listings', grantedTo: [...STAFF_AND_ADMINS, 'resident', 'partner'] },
  'market.property.manage': { description: 'Create and change property listings', grantedTo: [...ADMINS, 'partner'] },
  'market.asset.manage': { description: 'Transfer digital assets of people within reach', grantedTo: ['system_admin', 'department_admin'] },
  'market.aggregate.read': { description: 'See market aggregates (counts, no personal data)', grantedTo: [...ADMINS, 'analyst'] },
  'market.asset.read': { description: 'See digital assets', grantedTo: [...STAFF_AND_ADMINS, 'resident', 'partner'] },
} as const satisfies PermissionCatalog;
