import type { PermissionCatalog } from './types.ts';
import { ADMINS, STAFF_AND_ADMINS } from './types.ts';

export const marketPermissions = {
  'market.property.read': { description: 'See property listings', grantedTo: [...STAFF_AND_ADMINS, 'resident', 'partner'] },
  'market.property.manage': {
    description: "Change, unlist and archive any listing of the tenant (partners: their organization's), and see unlisted ones",
    grantedTo: [...ADMINS, 'partner'],
  },
  'market.property.create': { description: 'List properties of your own (you become the owner)', grantedTo: [...ADMINS, 'partner'] },
  'market.property.verify': { description: 'Mark listings of the tenant as verified', grantedTo: [...ADMINS] },
  'market.reservation.request': { description: 'Ask to reserve a listing for yourself', grantedTo: ['resident'] },
  'market.reservation.read': {
    description: "See reservations of the people in your care (staff: their caseload's residents; administrators: their scope)",
    grantedTo: [...STAFF_AND_ADMINS],
  },
  'market.transaction.create': { description: 'Buy or lease listings (you are the buyer)', grantedTo: [...ADMINS, 'resident', 'partner'] },
  'market.transaction.read': {
    description: 'See every transaction of your scope with its amounts, payment references and wallets',
    grantedTo: [...ADMINS],
  },
  'market.asset.manage': { description: 'Transfer digital assets of people within reach', grantedTo: ['system_admin', 'department_admin'] },
  'market.asset.create': {
    description: 'Mint digital assets (badges, art, virtual land) for yourself or a person of your tenant',
    grantedTo: [...ADMINS, 'partner'],
  },
  'market.space.create': {
    description: 'Make virtual spaces (galleries, meeting rooms) of your own',
    grantedTo: [...ADMINS, 'partner', 'resident'],
  },
  'market.resource.manage': {
    description: "Add and change the tenant's city resources (assessor, permit, GIS, service links)",
    grantedTo: [...ADMINS, 'partner'],
  },
  'market.aggregate.read': { description: 'See market aggregates (counts, no personal data)', grantedTo: [...ADMINS, 'analyst'] },
  'market.asset.read': { description: 'See digital assets', grantedTo: [...STAFF_AND_ADMINS, 'resident', 'partner'] },
  'market.tag.create': { description: "Add tags to the tenant's market vocabulary", grantedTo: [...STAFF_AND_ADMINS, 'partner'] },
  'market.business_model.manage': {
    description: "Add and change the tenant's business models (templates for residents' projects)",
    grantedTo: [...ADMINS, 'partner'],
  },
  'market.project.create': { description: 'Start business projects of your own', grantedTo: [...ADMINS, 'resident', 'partner'] },
  'market.project.manage': {
    description: 'See, change and archive the business projects of the people in your reach',
    grantedTo: [...ADMINS],
  },
} as const satisfies PermissionCatalog;
