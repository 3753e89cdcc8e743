import type { PermissionCatalog } from './types.ts';
import { ADMINS, STAFF_AND_ADMINS } from './types.ts';

export const campusPermissions: PermissionCatalog = {
  'campus.facility.read': { description: 'See facilities', grantedTo: [...STAFF_AND_ADMINS, 'resident', 'guardian', 'analyst'] },
  'campus.program.read': { description: 'See the program catalog', grantedTo: [...STAFF_AND_ADMINS, 'resident', 'analyst'] },
  'campus.class.read': { description: 'See classes', grantedTo: [...STAFF_AND_ADMINS, 'resident'] },
  'campus.enrollment.read': { description: 'See class enrollments within reach', grantedTo: STAFF_AND_ADMINS },
  'campus.enrollment.manage': { description: 'Enroll people and change enrollments', grantedTo: ADMINS },
};
