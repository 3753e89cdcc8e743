import type { PermissionCatalog } from './types.ts';
import { ADMINS, STAFF_AND_ADMINS } from './types.ts';

export const gatewayPermissions = {
  'gateway.operation.freeform': {
    description: 'Run any GraphQL document, not only the registered app operations',
    grantedTo: [...ADMINS, 'analyst'],
  },
  // Every subgraph's `Count` fields (kit small-counts.ts): roles that read the rows themselves see exact small counts.
  'reports.exact_counts': {
    description: 'See counts of people below the small-count threshold exactly in aggregates (others get "<5")',
    grantedTo: [...STAFF_AND_ADMINS],
  },
} as const satisfies PermissionCatalog;
