import type { PermissionCatalog } from './types.ts';
import { STAFF_AND_ADMINS } from './types.ts';

export const behaviorPermissions: PermissionCatalog = {
  'behavior.student.read': { description: 'See student records within reach', grantedTo: [...STAFF_AND_ADMINS, 'guardian'] },
  'behavior.family.read': { description: 'See family records within reach', grantedTo: STAFF_AND_ADMINS },
};
