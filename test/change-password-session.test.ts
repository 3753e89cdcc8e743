import { beforeAll, describe, expect, it } from 'vitest';
import { CHOSEN_PASSWORD, codes, gql, login } from './support/client.ts';
import { seed, type SeededFacility } from './support/seed.ts';

// changePassword answers a new session: the app carries on with its tokens, and every earlier
// session, the one that asked included, is refused from the very next request (not only once its
// access token expires), with a message that says to sign in again.
const CHANGE = `mutation($c: String!, $n: String!) {
  changePassword(currentPassword: $c, newPassword: $n) {
    user { id mustChangePassword }
    session { accessToken refreshToken accessTokenExpiresAt refreshTokenExpiresAt userId mustChangePassword }
  }
}`;
const ME = '{ me { id } }';
const REFRESH = 'mutation($t: String!) { refresh(refreshToken: $t) { accessToken } }';
const NEW_PASSWORD = 'Another-Chosen-Pass-2027!';

interface Changed {
  changePassword: {
    user: { id: string; mustChangePassword: boolean };
    session: { accessToken: string; refreshToken: string; userId: string; mustChangePassword: boolean };
  };
}

let facility: SeededFacility;
beforeAll(async () => {
  facility = await (await seed.tenant()).facility();
});

describe('changePassword', () => {
  it('answers a fresh token pair that works at once, and ends every earlier session with "sign in again"', async () => {
    const person = await facility.resident();
    const first = await person.login();
    const second = await person.login();
    const res = await gql<Changed>(CHANGE, { c: CHOSEN_PASSWORD, n: NEW_PASSWORD }, { token: first.accessToken });
    expect(res.errors).toBeUndefined();
    const { user, session } = res.data!.changePassword;
    expect(user).toEqual({ id: person.id, mustChangePassword: false });
    expect(session).toMatchObject({ userId: person.id, mustChangePassword: false });

    expect((await gql<{ me: { id: string } }>(ME, {}, { token: session.accessToken })).data?.me.id).toBe(person.id);
    for (const old of [first, second]) {
      const refused = await gql(ME, {}, { token: old.accessToken });
      expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
      expect(refused.errors![0]!.message).toMatch(/session has ended.*Sign in again/i);
      expect(codes(await gql(REFRESH, { t: old.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    }
    // The new refresh token rotates as any other; the new password signs in, the old one no longer.
    expect((await gql<{ refresh: { accessToken: string } }>(REFRESH, { t: session.refreshToken })).data?.refresh.accessToken).toBeTruthy();
    await expect(login(person.username, NEW_PASSWORD)).resolves.toMatchObject({ userId: person.id });
    await expect(login(person.username, CHOSEN_PASSWORD)).rejects.toThrow(/incorrect/);
  });

  it('lets a person with a temporary password carry on with the answered session, no second sign-in', async () => {
    const person = await facility.staff();
    const temporary = await login(person.username, 'Seeded-Temp-Pass-2026!');
    const before = await gql('{ programClasses(first: 1) { nodes { id } } }', {}, { token: temporary.accessToken });
    expect(codes(before)).toEqual(['FORBIDDEN']);
    const res = await gql<Changed>(CHANGE, { c: 'Seeded-Temp-Pass-2026!', n: NEW_PASSWORD }, { token: temporary.accessToken });
    expect(res.data?.changePassword.session.mustChangePassword).toBe(false);
    const after = await gql('{ programClasses(first: 1) { nodes { id } } }', {}, { token: res.data!.changePassword.session.accessToken });
    expect(after.errors).toBeUndefined();
  });

  it('says in plain words what a weak password lacks, and changes nothing', async () => {
    const person = await facility.resident();
    const api = await person.login();
    const weak = await gql(CHANGE, { c: CHOSEN_PASSWORD, n: 'shortpass' }, { token: api.accessToken });
    expect(codes(weak)).toEqual(['BAD_USER_INPUT']);
    const message = weak.errors![0]!.message;
    expect(message).toMatch(
      /too weak: it has 9 characters, 12 are needed; it needs an uppercase letter; it needs a digit; it needs a symbol/,
    );
    expect(message).toMatch(/A password needs 12 to 128 characters/);
    expect(weak.errors![0]!.extensions?.fieldErrors).toEqual({
      newPassword: 'it has 9 characters, 12 are needed; it needs an uppercase letter; it needs a digit; it needs a symbol such as ! or #',
    });
    const withName = await gql(CHANGE, { c: CHOSEN_PASSWORD, n: `X1!${person.username}` }, { token: api.accessToken });
    expect(withName.errors![0]!.message).toMatch(/it contains the username/);
    // Nothing changed: the session still works and the password is the same.
    expect(codes(await gql(ME, {}, { token: api.accessToken }))).toEqual([]);
    expect(codes(await gql(CHANGE, { c: 'Wrong-Pass-2026!', n: NEW_PASSWORD }, { token: api.accessToken }))).toEqual(['BAD_USER_INPUT']);
    await expect(login(person.username, CHOSEN_PASSWORD)).resolves.toMatchObject({ userId: person.id });
  });

  it('is refused without a sign-in, and ending one session refuses its access token too', async () => {
    expect(codes(await gql(CHANGE, { c: CHOSEN_PASSWORD, n: NEW_PASSWORD }))).toEqual(['UNAUTHENTICATED']);
    const person = await facility.resident();
    const api = await person.login();
    await gql('mutation($t: String!) { logout(refreshToken: $t) }', { t: api.refreshToken });
    expect(codes(await gql(ME, {}, { token: api.accessToken }))).toEqual(['UNAUTHENTICATED']);
  });
});
