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
  'learning.content.read': {
    description: 'See open content (libraries, videos, helpful links) visible at your facility, and keep favorites',
    grantedTo: [...STAFF_AND_ADMINS, 'resident'],
  },
  'learning.content.manage': {
    description: "Add and change open content and its providers, choose where it is visible, answer residents' content requests",
    grantedTo: ADMINS,
  },
  'learning.content.request': { description: 'Ask for open content the catalog lacks', grantedTo: ['resident'] },
} as const satisfies PermissionCatalog;
