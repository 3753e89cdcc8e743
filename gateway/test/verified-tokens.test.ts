import { afterEach, describe, expect, it, vi } from 'vitest';
import { signAccessToken, type AccessClaims } from '@pathway/kit';
import { VerifiedTokens } from '../src/verified-tokens.ts';

const SECRET = 'a-test-secret-that-is-long-enough-000';
const claims: AccessClaims = { userId: 'user-1', tenantId: 'tenant-1', facilityId: null, roles: ['resident'], sessionId: 'session-1' };

afterEach(() => void vi.useRealTimers());

describe('VerifiedTokens', () => {
  it('answers a token it verified before with the same claims', async () => {
    const tokens = new VerifiedTokens(SECRET);
    const { token } = await signAccessToken(claims, SECRET, 60);
    const first = await tokens.verify(token);
    expect(first).toMatchObject({ userId: 'user-1', sessionId: 'session-1' });
    expect(await tokens.verify(token)).toBe(first);
  });

  it('refuses a remembered token once it has expired', async () => {
    vi.useFakeTimers({ now: new Date('2026-05-01T10:00:00Z'), toFake: ['Date'] });
    const tokens = new VerifiedTokens(SECRET);
    const { token } = await signAccessToken(claims, SECRET, 60);
    await tokens.verify(token);
    vi.setSystemTime(new Date('2026-05-01T10:00:59Z'));
    await expect(tokens.verify(token)).resolves.toMatchObject({ userId: 'user-1' });
    vi.setSystemTime(new Date('2026-05-01T10:01:00Z'));
    await expect(tokens.verify(token)).rejects.toThrow();
    expect(tokens.size).toBe(0);
  });

  it('never remembers a token that failed, and refuses it every time', async () => {
    const tokens = new VerifiedTokens(SECRET);
    const { token } = await signAccessToken(claims, 'another-test-secret-long-enough-00000', 60);
    await expect(tokens.verify(token)).rejects.toThrow();
    await expect(tokens.verify(token)).rejects.toThrow();
    expect(tokens.size).toBe(0);
  });

  it('keeps at most its bound, forgetting the least recently used first', async () => {
    const tokens = new VerifiedTokens(SECRET, 2);
    const [a, b, c] = await Promise.all(
      ['a', 'b', 'c'].map(async (userId) => (await signAccessToken({ ...claims, userId }, SECRET, 60)).token),
    );
    const first = await tokens.verify(a!);
    const second = await tokens.verify(b!);
    expect(await tokens.verify(a!)).toBe(first); // a is now the most recent
    await tokens.verify(c!); // b goes
    expect(tokens.size).toBe(2);
    expect(await tokens.verify(a!)).toBe(first);
    const again = await tokens.verify(b!); // verified afresh: equal claims, a new object
    expect(again).toEqual(second);
    expect(again).not.toBe(second);
  });
});
