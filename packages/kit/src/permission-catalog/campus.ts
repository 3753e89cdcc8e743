import type { PermissionCatalog } from './types.ts';
import { ADMINS, STAFF_AND_ADMINS } from './types.ts';

const TENANT_ADMINS = ['system_admin', 'department_admin'] as const;

export const campusPermissions = {
  'campus.facility.read': { description: 'See facilities', grantedTo: [...STAFF_AND_ADMINS, 'resident', 'guardian', 'analyst'] },
  'campus.program.read': { description: 'See the program catalog', grantedTo: [...STAFF_AND_ADMINS, 'resident', 'analyst'] },
  'campus.class.read': { description: 'See classes', grantedTo: [...STAFF_AND_ADMINS, 'resident'] },
  'campus.enrollment.read': { description: 'See class enrollments within reach', grantedTo: STAFF_AND_ADMINS },
  'campus.class.manage': { description: 'Create classes and change their details and status', grantedTo: ADMINS },
  'campus.enrollment.manage': { description: 'Enroll people and change enrollments', grantedTo: ADMINS },
  'campus.roster.read_all': {
    description: 'See rosters and attendance of every class within reach (without it, only of classes you teach)',
    grantedTo: ADMINS,
  },
  'campus.attendance.manage': { description: 'Take and correct attendance (staff: of classes they teach)', grantedTo: STAFF_AND_ADMINS },
  'campus.attendance.aggregate.read': {
    description: 'See attendance counts of facilities, programs and classes (no personal fields)',
    grantedTo: [...ADMINS, 'analyst'],
  },
  'campus.facility.manage': { description: 'Create, change and archive facilities', grantedTo: TENANT_ADMINS },
  'campus.program.manage': { description: 'Create, change, archive and delete programs of the catalog', grantedTo: TENANT_ADMINS },
  'campus.program.offer': { description: "Choose which programs a facility offers (facility admins: their facility's)", grantedTo: ADMINS },
  'campus.room.manage': { description: 'Create, change and archive rooms of a facility', grantedTo: ADMINS },
  'campus.room.read': { description: 'See rooms and their schedules', grantedTo: STAFF_AND_ADMINS },
  'campus.dashboard.read': { description: 'See facility and department dashboards', grantedTo: ADMINS },
} as const satisfies PermissionCatalog;
