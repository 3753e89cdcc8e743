import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { facilities, users } from '../scripts/demo/ids.ts';
import { codes, gql, login, tokenFor } from './support/client.ts';

// After an administrator sets a temporary password, the person may only change it (or sign out).
describe('a temporary password', () => {
  it('allows nothing but changing it; after the change, a fresh sign-in works normally', async () => {
    const suffix = randomUUID().slice(0, 8);
    const username = `temp.${suffix}`;
    const temporary = `Temporary-${suffix}-Pw1!`;
    const created = await gql(
      'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }',
      {
        input: {
          username,
          email: `${username}@example.org`,
          firstName: 'Tem',
          lastName: 'Porary',
          role: 'staff',
          facilityId: facilities.northRidge.id,
          temporaryPassword: temporary,
        },
      },
      { token: await tokenFor(users.facilityAdmin.username) },
    );
    expect(created.errors).toBeUndefined();

    const first = await login(username, temporary);
    expect(codes(await gql('{ programClasses(first: 1) { nodes { id } } }', {}, { token: first.accessToken }))).toEqual(['FORBIDDEN']);
    expect((await gql<{ me: { id: string } }>('{ me { id } }', {}, { token: first.accessToken })).data?.me).toBeTruthy();

    const newPassword = `Chosen-${suffix}-Pw2!`;
    const changed = await gql(
      'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { session { accessToken } } }',
      { c: temporary, n: newPassword },
      { token: first.accessToken },
    );
    expect(changed.errors).toBeUndefined();

    const second = await login(username, newPassword);
    const res = await gql<{ programClasses: { nodes: unknown[] } }>(
      '{ programClasses(first: 1) { nodes { id } } }',
      {},
      { token: second.accessToken },
    );
    expect(res.errors).toBeUndefined();
  });
});
