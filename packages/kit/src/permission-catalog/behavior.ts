import type { PermissionCatalog } from './types.ts';
import { ADMINS, STAFF_AND_ADMINS } from './types.ts';

export const behaviorPermissions = {
  'behavior.student.read': { description: 'See student records within reach', grantedTo: [...STAFF_AND_ADMINS, 'guardian'] },
  'behavior.family.read': { description: 'See family records within reach', grantedTo: STAFF_AND_ADMINS },
  'behavior.aggregate.read': {
    description: 'See student and family aggregates (counts, no personal data)',
    grantedTo: [...ADMINS, 'analyst'],
  },
} as const satisfies PermissionCatalog;
