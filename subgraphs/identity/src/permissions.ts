import { allow, and, can, inReach, isAuthenticated, isSelf, or, type RuleTree } from '@pathway/kit';
import type { User } from './generated/prisma/client.ts';

const self = isSelf<User>('user', (user) => user.id);
const userInReach = inReach<User>('user', (user) => ({ tenantId: user.tenantId, facilityId: user.homeFacilityId }));
/** A field of a person: theirs to see, or an in-reach caller's whose role grants `key`. */
const personField = (key: string) => or(self, and(can(key), userInReach));

export const permissions: RuleTree = {
  Query: {
    me: isAuthenticated,
    user: isAuthenticated,
    users: can('identity.user.list'),
    roles: can('identity.role.read'),
  },
  Mutation: {
    login: allow,
    refresh: allow,
    logout: allow,
    setRolePermissions: can('identity.role.manage'),
  },
  AuthPayload: allow,
  User: {
    '*': personField('identity.user.read'),
    email: personField('identity.user.read_contact'),
    residentNumber: personField('identity.user.read_resident_number'),
  },
  UserConnection: isAuthenticated,
  UserEdge: isAuthenticated,
  PageInfo: allow,
  Facility: isAuthenticated,
  Tenant: isAuthenticated,
  Role: can('identity.role.read'),
};
