import { SignJWT, decodeJwt } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signAccessToken, verifyAccessToken, type AccessClaims } from '../src/access-token.ts';
import { signIdentity, signIdentityNow, verifyIdentity, type Identity } from '../src/identity.ts';

const SECRET = 'a-test-secret-that-is-long-enough-000';
const OTHER = 'another-test-secret-long-enough-00000';

const identity: Identity = {
  userId: 'user-1',
  tenantId: 'tenant-1',
  facilityId: 'facility-1',
  roles: ['staff'],
  permissions: ['campus.class.read'],
  featureFlags: ['open_content'],
};
const claims: AccessClaims = { userId: 'user-1', tenantId: 'tenant-1', facilityId: null, roles: ['resident'], sessionId: 'session-1' };

/** The token with one character of its payload (or signature) changed. */
function tamper(token: string, part: 1 | 2): string {
  const parts = token.split('.');
  const segment = parts[part]!;
  const i = Math.floor(segment.length / 2);
  parts[part] = segment.slice(0, i) + (segment[i] === 'A' ? 'B' : 'A') + segment.slice(i + 1);
  return parts.join('.');
}
/** A token with a payload of our choosing, re-encoded but keeping the original signature. */
function withPayload(token: string, payload: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return [header, Buffer.from(JSON.stringify(payload)).toString('base64url'), signature].join('.');
}

afterEach(() => void vi.useRealTimers());

describe('internal identity token (gateway → subgraph)', () => {
  it('round-trips the identity', async () => {
    expect(await verifyIdentity(await signIdentity(identity, SECRET), SECRET)).toEqual(identity);
  });

  it('is signed synchronously as a standard HS256 JWT with issuer, audience and a 60 s lifetime', async () => {
    vi.useFakeTimers({ now: new Date('2026-05-01T10:00:00Z'), toFake: ['Date'] });
    const token = signIdentityNow({ ...identity, serviceAccount: true }, SECRET);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'HS256' });
    expect(decodeJwt(token)).toMatchObject({
      sub: 'user-1',
      iss: 'pathway-gateway',
      aud: 'pathway-subgraph',
      iat: 1777629600,
      exp: 1777629660,
      sa: true,
    });
    expect(await verifyIdentity(token, SECRET)).toEqual({ ...identity, serviceAccount: true });
  });

  it('gives a missing facility and missing flags as null and []', async () => {
    const token = await signIdentity({ ...identity, facilityId: null, featureFlags: undefined }, SECRET);
    expect(await verifyIdentity(token, SECRET)).toMatchObject({ facilityId: null, featureFlags: [] });
  });

  it('refuses a token signed with another secret', async () => {
    await expect(verifyIdentity(await signIdentity(identity, OTHER), SECRET)).rejects.toThrow();
  });

  it('refuses a tampered payload or signature', async () => {
    const token = await signIdentity(identity, SECRET);
    await expect(verifyIdentity(tamper(token, 1), SECRET)).rejects.toThrow();
    await expect(verifyIdentity(tamper(token, 2), SECRET)).rejects.toThrow();
    const promoted = withPayload(token, { ...decodeJwt(token), roles: ['system_admin'] });
    await expect(verifyIdentity(promoted, SECRET)).rejects.toThrow();
  });

  it('lives 60 seconds', async () => {
    vi.useFakeTimers({ now: new Date('2026-05-01T10:00:00Z'), toFake: ['Date'] });
    const token = await signIdentity(identity, SECRET);
    vi.setSystemTime(new Date('2026-05-01T10:00:59Z'));
    await expect(verifyIdentity(token, SECRET)).resolves.toMatchObject({ userId: 'user-1' });
    vi.setSystemTime(new Date('2026-05-01T10:01:01Z'));
    await expect(verifyIdentity(token, SECRET)).rejects.toThrow(/exp/);
  });

  it('refuses an access token in its place (other issuer and audience)', async () => {
    const { token } = await signAccessToken(claims, SECRET, 60);
    await expect(verifyIdentity(token, SECRET)).rejects.toThrow();
  });

  it('refuses `alg: none`', async () => {
    const token = await signIdentity(identity, SECRET);
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    await expect(verifyIdentity(`${header}.${token.split('.')[1]}.`, SECRET)).rejects.toThrow();
  });

  it('refuses a validly signed token without a tenant', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-1')
      .setIssuer('pathway-gateway')
      .setAudience('pathway-subgraph')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode(SECRET));
    await expect(verifyIdentity(token, SECRET)).rejects.toThrow(/identity claims missing/);
  });
});

describe('access token (identity → the person’s app)', () => {
  it('round-trips the claims and the expiry', async () => {
    vi.useFakeTimers({ now: new Date('2026-05-01T10:00:00Z'), toFake: ['Date'] });
    const { token, expiresAt } = await signAccessToken(claims, SECRET, 900);
    expect(expiresAt).toEqual(new Date('2026-05-01T10:15:00Z'));
    expect(await verifyAccessToken(token, SECRET)).toEqual({ ...claims, mustChangePassword: false, expiresAt });
  });

  it('carries the must-change-password mark', async () => {
    const { token } = await signAccessToken({ ...claims, mustChangePassword: true }, SECRET, 60);
    expect((await verifyAccessToken(token, SECRET)).mustChangePassword).toBe(true);
  });

  it('expires after its time to live', async () => {
    vi.useFakeTimers({ now: new Date('2026-05-01T10:00:00Z'), toFake: ['Date'] });
    const { token } = await signAccessToken(claims, SECRET, 30);
    vi.setSystemTime(new Date('2026-05-01T10:00:31Z'));
    await expect(verifyAccessToken(token, SECRET)).rejects.toThrow(/exp/);
  });

  it.each(['exp', 'iat'] as const)('refuses a validly signed token without `%s`', async (claim) => {
    let jwt = new SignJWT({ tid: 'tenant-1', sid: 'session-1', roles: ['resident'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-1')
      .setIssuer('pathway-identity')
      .setAudience('pathway');
    if (claim !== 'exp') jwt = jwt.setExpirationTime('1m');
    if (claim !== 'iat') jwt = jwt.setIssuedAt();
    await expect(verifyAccessToken(await jwt.sign(new TextEncoder().encode(SECRET)), SECRET)).rejects.toThrow(new RegExp(claim));
  });

  it('refuses another secret, a tampered token, and an internal identity token', async () => {
    const { token } = await signAccessToken(claims, SECRET, 60);
    await expect(verifyAccessToken(token, OTHER)).rejects.toThrow();
    await expect(verifyAccessToken(tamper(token, 1), SECRET)).rejects.toThrow();
    await expect(verifyAccessToken(withPayload(token, { ...decodeJwt(token), roles: ['system_admin'] }), SECRET)).rejects.toThrow();
    await expect(verifyAccessToken(await signIdentity(identity, SECRET), SECRET)).rejects.toThrow();
  });
});
