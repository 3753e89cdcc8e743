import type { PermissionCatalog } from './types.ts';
import { ADMINS } from './types.ts';

export const gatewayPermissions: PermissionCatalog = {
  'gateway.operation.freeform': {
    description: 'Run any GraphQL document, not only the registered app operations',
    grantedTo: [...ADMINS, 'analyst'],
  },
};
