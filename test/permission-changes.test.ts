import { afterAll, describe, expect, it } from 'vitest';
import { users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';

// Permissions are rows: changing a role's permissions changes what the API allows, at once,
// for tokens already issued. Uses the integrator role, which no other test relies on.
const SET = `mutation($role: String!, $permissions: [String!]!) { setRolePermissions(role: $role, permissions: $permissions) { name permissions } }`;
// Roles are not scoped to a tenant or facility, so a grant shows as data at once.
const ROLES = '{ roles { name } }';

const admin = () => tokenFor(users.sysadmin.username);
const integrator = () => tokenFor(users.integrator.username);

afterAll(async () => {
  await gql(SET, { role: 'integrator', permissions: [] }, { token: await admin() });
});

describe('changing what a role may do', () => {
  it('takes effect on the next request of a token issued before the change, both ways', async () => {
    const token = await integrator();
    expect(codes(await gql(ROLES, {}, { token }))).toEqual(['FORBIDDEN']);

    const granted = await gql<{ setRolePermissions: { permissions: string[] } }>(
      SET,
      { role: 'integrator', permissions: ['identity.role.read', 'identity.user.read'] },
      { token: await admin() },
    );
    expect(granted.data?.setRolePermissions.permissions).toEqual(['identity.role.read', 'identity.user.read']);
    const allowed = await gql<{ roles: { name: string }[] }>(ROLES, {}, { token });
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data!.roles.map((r) => r.name)).toContain('integrator');

    await gql(SET, { role: 'integrator', permissions: [] }, { token: await admin() });
    expect(codes(await gql(ROLES, {}, { token }))).toEqual(['FORBIDDEN']);
  });

  it('is refused to roles without identity.role.manage', async () => {
    for (const username of [users.deptAdmin.username, users.residentLee.username]) {
      const res = await gql(SET, { role: 'resident', permissions: ['identity.user.list'] }, { token: await tokenFor(username) });
      expect(codes(res)).toEqual(['FORBIDDEN']);
    }
  });

  it('rejects unknown roles and permission keys, and the change that would lock out role management, changing nothing', async () => {
    const token = await admin();
    const before = await gql<{ roles: { name: string; permissions: string[] }[] }>('{ roles { name permissions } }', {}, { token });
    expect(codes(await gql(SET, { role: 'wizard', permissions: [] }, { token }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(SET, { role: 'staff', permissions: ['campus.class.read', 'no.such.key'] }, { token }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await gql(SET, { role: 'system_admin', permissions: ['identity.user.read'] }, { token }))).toEqual(['BAD_USER_INPUT']);
    const after = await gql('{ roles { name permissions } }', {}, { token });
    expect(after.data).toEqual(before.data);
  });
});
