import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  LEGACY_KEY_ID,
  SecretUnavailableError,
  keyRing,
  keyRingEnv,
  needsReseal,
  openSecret,
  sealSecret,
  sealedWith,
} from '../src/secret-box.ts';

const options = { nodeEnv: 'test', variable: 'SOME_KEYS', devSecret: 'd'.repeat(32) };
const oldRing = keyRing(`k1=${'a'.repeat(40)}`, options);
const rotated = keyRing(`k2=${'b'.repeat(40)},k1=${'a'.repeat(40)}`, options);

/** A secret in the first format (`v1.<iv>.<tag>.<ciphertext>`, one key, no aad), sealed the way identity sealed them before key rings. */
function sealedInFirstFormat(secret: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', createHash('sha256').update(secret).digest(), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

describe('secret box (AES-256-GCM key ring)', () => {
  it('opens secrets of the first format with the key named v1, and marks them for resealing', () => {
    const old = sealedInFirstFormat('c'.repeat(40), 'webhook-secret');
    const legacy = keyRing(`${LEGACY_KEY_ID}=${'c'.repeat(40)}`, options);
    expect(openSecret(legacy, old)).toBe('webhook-secret');
    expect(openSecret(legacy, old, 'any-row')).toBe('webhook-secret'); // the first format is bound to no row
    expect(needsReseal(legacy, old)).toBe(true);
    expect(sealedWith(old)).toBeNull();
    // A ring without the v1 key, or whose v1 key differs, cannot open it.
    expect(() => openSecret(oldRing, old)).toThrow(/key "v1", which is not configured/);
    expect(() => openSecret(keyRing(`v1=${'d'.repeat(40)}`, options), old)).toThrow(SecretUnavailableError);
    // Sealed again it is of the second format, under the ring's current key.
    const rotatedFromLegacy = keyRing(`k9=${'e'.repeat(40)},v1=${'c'.repeat(40)}`, options);
    const resealed = sealSecret(rotatedFromLegacy, openSecret(rotatedFromLegacy, old));
    expect(sealedWith(resealed)).toBe('k9');
  });

  it('names the development key as asked (identity keeps v1 for its old development secrets)', () => {
    expect(keyRing(undefined, { ...options, devKeyId: LEGACY_KEY_ID }).currentId).toBe('v1');
    expect(keyRing(undefined, options).currentId).toBe('dev');
    expect(() => keyRing(undefined, { ...options, nodeEnv: 'production' })).toThrow(/SOME_KEYS is required in production/);
  });

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
    expect(() => openSecret(oldRing, 'v3.k1.x.y.z', 'row-1')).toThrow(/unknown secret format/);
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
