import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SecretUnavailableError, keyRing, keyRingEnv, needsReseal, openSecret, sealSecret, sealedWith } from '../src/secret-box.ts';

const options = { nodeEnv: 'test', variable: 'SOME_KEYS', devSecret: 'd'.repeat(32) };
const oldRing = keyRing(`k1=${'a'.repeat(40)}`, options);
const rotated = keyRing(`k2=${'b'.repeat(40)},k1=${'a'.repeat(40)}`, options);

describe('secret box (AES-256-GCM key ring)', () => {
  it('seals under the first key, naming it, and opens with the same aad', () => {
    const sealed = sealSecret(oldRing, 'canvas-token-123', 'row-1');
    expect(sealed).toMatch(/^v2\.k1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('canvas-token-123');
    expect(openSecret(oldRing, sealed, 'row-1')).toBe('canvas-token-123');
    expect(sealSecret(oldRing, 'canvas-token-123', 'row-1')).not.toBe(sealed); // a fresh IV each time
  });

  it('rotation: a ring with a new first key opens old secrets and seals new ones with the new key', () => {
    const old = sealSecret(oldRing, 'secret', 'row');
    expect(openSecret(rotated, old, 'row')).toBe('secret');
    expect(needsReseal(rotated, old)).toBe(true);
    const resealed = sealSecret(rotated, openSecret(rotated, old, 'row'), 'row');
    expect(sealedWith(resealed)).toBe('k2');
    expect(needsReseal(rotated, resealed)).toBe(false);
    expect(() => openSecret(oldRing, resealed, 'row')).toThrow(/key "k2", which is not configured/);
  });

  it('refuses tampered ciphertexts and ciphertexts moved to another row', () => {
    const sealed = sealSecret(oldRing, 'secret', 'row-1');
    expect(() => openSecret(oldRing, sealed, 'row-2')).toThrow(SecretUnavailableError);
    const parts = sealed.split('.');
    parts[4] = Buffer.from('forged').toString('base64url');
    expect(() => openSecret(oldRing, parts.join('.'), 'row-1')).toThrow(SecretUnavailableError);
    expect(() => openSecret(oldRing, 'v1.x.y.z', 'row-1')).toThrow(/unknown secret format/);
  });

  it('configuration: a dev key outside production, required in production, malformed specs refused', () => {
    expect(keyRing(undefined, options).currentId).toBe('dev');
    expect(() => keyRing(undefined, { ...options, nodeEnv: 'production' })).toThrow(/SOME_KEYS is required in production/);
    expect(() => keyRing('k1=short', options)).toThrow(/malformed key "k1"/);
    expect(() => keyRing(`k1=${'a'.repeat(32)},k1=${'b'.repeat(32)}`, options)).toThrow(/twice/);
    expect(z.object({ K: keyRingEnv }).safeParse({ K: 'nonsense' }).success).toBe(false);
    expect(z.object({ K: keyRingEnv }).safeParse({ K: `a=${'x'.repeat(32)},b=${'y'.repeat(32)}` }).success).toBe(true);
  });
});
