import type { PermissionCatalog } from './types.ts';
import { ADMINS, STAFF_AND_ADMINS } from './types.ts';

export const identityPermissions = {
  'identity.user.read': {
    description: 'See the accounts (username, status, roles, facility) of people within reach',
    grantedTo: STAFF_AND_ADMINS,
  },
  'identity.user.read_name': {
    description: "See the display names of people within reach (a resident: their facility's people, e.g. classmates)",
    grantedTo: [...STAFF_AND_ADMINS, 'resident', 'partner'],
  },
  'identity.user.list': { description: 'List and search people within reach', grantedTo: STAFF_AND_ADMINS },
  'identity.user.read_contact': { description: 'See contact details (email) of people within reach', grantedTo: ADMINS },
  'identity.user.read_resident_number': { description: 'See resident (DOC) numbers of people within reach', grantedTo: STAFF_AND_ADMINS },
  'identity.user.manage': { description: 'Create, update and deactivate people within reach', grantedTo: ADMINS },
  'identity.user.assign_role': {
    description: 'Assign and revoke roles (never one reaching further than your own) of people within reach',
    grantedTo: ADMINS,
  },
  'identity.user.read_security': {
    description: 'See sign-in details (sessions, login count, lockout, status reason) of people within reach',
    grantedTo: ADMINS,
  },
  'identity.user.read_history': { description: 'See the account history of people within reach', grantedTo: ADMINS },
  'identity.user.read_profile': { description: 'See profiles and preferences of people within reach', grantedTo: ADMINS },
  'identity.aggregate.read': { description: 'See aggregates of people (counts, no personal data)', grantedTo: [...ADMINS, 'analyst'] },
  'identity.notification.send': { description: 'Send notifications to people within reach', grantedTo: STAFF_AND_ADMINS },
  'identity.role.read': { description: 'See roles and their permissions', grantedTo: STAFF_AND_ADMINS },
  'identity.role.manage': { description: 'Change which permissions a role grants', grantedTo: ['system_admin'] },
  'identity.tenant.read': { description: 'See tenant details', grantedTo: ADMINS },
  'identity.tenant.manage': {
    description: 'Create tenants and change their settings, tier, region and status',
    grantedTo: ['system_admin'],
  },
  'identity.integration.manage': {
    description: "See and change your tenant's integrations registry (secrets are write-only)",
    grantedTo: ['system_admin', 'department_admin'],
  },
  'identity.webhook.manage': {
    description: "Register, change and delete your tenant's webhook endpoints; see and replay their deliveries (secrets are shown once)",
    grantedTo: ['system_admin', 'department_admin'],
  },
  'identity.service_account.manage': {
    description:
      "Create, rotate and revoke your tenant's service accounts (API keys for machine clients, shown once), with permissions you hold yourself",
    grantedTo: ['system_admin', 'department_admin'],
  },
  'identity.facility.manage_flags': {
    description: "Switch facility features (open_content, provider_platforms, program_management) of your tenant's facilities",
    grantedTo: ['system_admin', 'department_admin'],
  },
} as const satisfies PermissionCatalog;
