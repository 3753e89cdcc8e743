import { SignJWT, base64url } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import { signAccessToken } from '@pathway/kit';
import { users } from '../scripts/demo/ids.ts';
import { codes, gql, login } from './support/client.ts';

const ME = '{ me { id username } }';
const lee = users.residentLee;

describe('login', () => {
  it('returns an access token that identifies the person through the gateway', async () => {
    const tokens = await login(lee.username);
    expect(tokens.userId).toBe(lee.id);
    const res = await gql<{ me: { id: string; username: string } }>(ME, {}, { token: tokens.accessToken });
    expect(res.errors).toBeUndefined();
    expect(res.data?.me).toEqual({ id: lee.id, username: lee.username });
  });

  it('refuses a wrong password and an unknown user alike: UNAUTHENTICATED, same message', async () => {
    const mutation = 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }';
    const wrongPassword = await gql(mutation, { u: lee.username, p: 'not-the-password' });
    const unknownUser = await gql(mutation, { u: 'nobody.here', p: 'not-the-password' });
    expect(codes(wrongPassword)).toEqual(['UNAUTHENTICATED']);
    expect(codes(unknownUser)).toEqual(['UNAUTHENTICATED']);
    expect(wrongPassword.errors![0]!.message).toBe(unknownUser.errors![0]!.message);
    expect(wrongPassword.errors![0]!.message).not.toMatch(/exist|unknown|not found/i);
    expect(wrongPassword.data).toBeNull();
  });
});

describe('access tokens', () => {
  const secret = () => inject('secrets').ACCESS_JWT_SECRET;
  const claims = {
    userId: lee.id,
    tenantId: lee.tenantId,
    facilityId: lee.facilityId,
    roles: ['resident' as const],
    sessionId: crypto.randomUUID(),
  };

  it('accepts a token signed with the right key (control for the refusals below)', async () => {
    const { token } = await signAccessToken(claims, secret(), 60);
    expect((await gql(ME, {}, { token })).data?.me).toMatchObject({ id: lee.id });
  });

  it('refuses an expired token', async () => {
    const { token } = await signAccessToken(claims, secret(), -60);
    const res = await gql(ME, {}, { token });
    expect(res.status).toBe(401);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a tampered token (payload changed to another user)', async () => {
    const { token } = await signAccessToken(claims, secret(), 60);
    const [header, payload, signature] = token.split('.');
    const forged = JSON.parse(new TextDecoder().decode(base64url.decode(payload!)));
    forged.sub = users.sysadmin.id;
    forged.roles = ['system_admin'];
    const tampered = `${header}.${base64url.encode(JSON.stringify(forged))}.${signature}`;
    const res = await gql(ME, {}, { token: tampered });
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.data ?? null).toBeNull();
  });

  it('refuses a token with another algorithm (alg none, HS512) even with valid claims', async () => {
    const body = {
      sub: lee.id,
      tid: lee.tenantId,
      roles: ['system_admin'],
      sid: claims.sessionId,
      iss: 'pathway-identity',
      aud: 'pathway',
      exp: Math.floor(Date.now() / 1000) + 60,
    };
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(JSON.stringify(body))}.`;
    const hs512 = await new SignJWT(body).setProtectedHeader({ alg: 'HS512' }).sign(new TextEncoder().encode(secret()));
    for (const token of [none, hs512]) expect(codes(await gql(ME, {}, { token }))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a token signed with another key', async () => {
    const { token } = await signAccessToken(claims, 'x'.repeat(48), 60);
    expect(codes(await gql(ME, {}, { token }))).toEqual(['UNAUTHENTICATED']);
  });

  it('treats a request without a token as anonymous: public login works, protected fields do not', async () => {
    const res = await gql(ME);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.data?.me ?? null).toBeNull();
  });
});

describe('refresh tokens', () => {
  const REFRESH = 'mutation($t: String!) { refresh(refreshToken: $t) { accessToken refreshToken } }';

  it('rotate: the new pair works, the old refresh token does not, and reusing it ends the session', async () => {
    const first = await login(users.residentGarcia.username);
    const rotated = await gql<{ refresh: { accessToken: string; refreshToken: string } }>(REFRESH, { t: first.refreshToken });
    expect(rotated.errors).toBeUndefined();
    const second = rotated.data!.refresh;
    expect((await gql(ME, {}, { token: second.accessToken })).data?.me).toMatchObject({ id: users.residentGarcia.id });

    // The used token comes back (stolen copy): refused, and the whole session is revoked.
    expect(codes(await gql(REFRESH, { t: first.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await gql(REFRESH, { t: second.refreshToken }))).toEqual(['UNAUTHENTICATED']);
  });

  it('logout ends the session: its refresh token stops working', async () => {
    const tokens = await login(users.residentKim.username);
    const out = await gql<{ logout: boolean }>('mutation($t: String!) { logout(refreshToken: $t) }', { t: tokens.refreshToken });
    expect(out.data?.logout).toBe(true);
    expect(codes(await gql(REFRESH, { t: tokens.refreshToken }))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a refresh token that was never issued', async () => {
    expect(codes(await gql(REFRESH, { t: 'made-up-token' }))).toEqual(['UNAUTHENTICATED']);
  });
});
