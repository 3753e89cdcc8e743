import type { PermissionCatalog } from './types.ts';
import { ADMINS } from './types.ts';

export const gatewayPermissions = {
  'gateway.operation.freeform': {
    description: 'Run any GraphQL document, not only the registered app operations',
    grantedTo: [...ADMINS, 'analyst'],
  },
} as const satisfies PermissionCatalog;
