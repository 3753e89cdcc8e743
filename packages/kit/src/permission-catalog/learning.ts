import type { PermissionCatalog } from './types.ts';
import { ADMINS, STAFF_AND_ADMINS } from './types.ts';

export const learningPermissions = {
  'learning.course.read': { description: 'See the course catalog', grantedTo: [...STAFF_AND_ADMINS, 'resident', 'analyst'] },
  'learning.provider.read': { description: 'See provider platforms', grantedTo: ADMINS },
  'learning.aggregate.read': { description: 'See learning aggregates (counts, no personal data)', grantedTo: [...ADMINS, 'analyst'] },
  'learning.provider.manage': {
    description: 'Register, change, enable/disable and archive provider platforms (their credentials are write-only)',
    grantedTo: ['system_admin', 'department_admin'],
  },
  'learning.enrollment.read': { description: 'See course enrollments within reach', grantedTo: STAFF_AND_ADMINS },
} as const satisfies PermissionCatalog;
