import type { Role } from '@pathway/kit';

/**
 * The permission keys every subgraph checks, and the grants each role starts with. Written to the
 * permission tables on first start only: after that the tables are the truth, and an administrator's
 * change to them is what the API enforces.
 */
export const PERMISSIONS: Record<string, string> = {
  'identity.user.read': 'See names and status of people within reach',
  'identity.user.list': 'List and search people within reach',
  'identity.user.read_contact': 'See contact details (email) of people within reach',
  'identity.user.read_resident_number': 'See resident (DOC) numbers of people within reach',
  'identity.user.manage': 'Create, update and deactivate people within reach',
  'identity.role.read': 'See roles and their permissions',
  'identity.role.manage': 'Change which permissions a role grants',
  'identity.tenant.read': 'See tenant details',
  'campus.facility.read': 'See facilities',
  'campus.program.read': 'See the program catalog',
  'campus.class.read': 'See classes',
  'campus.enrollment.read': 'See class enrollments within reach',
  'campus.enrollment.manage': 'Enroll people and change enrollments',
  'learning.course.read': 'See the course catalog',
  'learning.provider.read': 'See provider platforms',
  'learning.enrollment.read': 'See course enrollments within reach',
  'behavior.student.read': 'See student records within reach',
  'behavior.family.read': 'See family records within reach',
  'market.property.read': 'See property listings',
  'market.property.manage': 'Create and change property listings',
  'market.asset.read': 'See digital assets',
};

const all = Object.keys(PERMISSIONS);
const reads = all.filter((key) => /\.(read|list)$/.test(key));

export const DEFAULT_GRANTS: Record<Role, string[]> = {
  system_admin: all,
  department_admin: all.filter((key) => key !== 'identity.role.manage'),
  facility_admin: all.filter((key) => key !== 'identity.role.manage'),
  staff: reads.filter((key) => !['identity.user.read_contact', 'identity.tenant.read', 'learning.provider.read'].includes(key)),
  resident: ['identity.user.read', 'campus.facility.read', 'campus.program.read', 'campus.class.read', 'learning.course.read', 'market.property.read', 'market.asset.read'],
  guardian: ['campus.facility.read', 'behavior.student.read'],
  partner: ['identity.user.read', 'market.property.read', 'market.property.manage', 'market.asset.read'],
  analyst: ['campus.facility.read', 'campus.program.read', 'learning.course.read'],
  integrator: [],
};
