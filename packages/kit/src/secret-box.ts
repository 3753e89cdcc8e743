import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Secrets encrypted at rest with AES-256-GCM under a key ring, so keys can be rotated: every
 * ciphertext names the key it was sealed with (`v2.<keyId>.<iv>.<tag>.<ciphertext>`, base64url),
 * new ones are sealed with the ring's first key, and any key still in the ring opens old ones.
 * Rotation: put the new key first (`new=…,old=…`), restart, re-seal what names the old key (see
 * `needsReseal`), then drop the old key. An `aad` (e.g. the row's id) binds a ciphertext to its
 * row: copied onto another row it no longer opens. The first format, `v1.<iv>.<tag>.<ciphertext>`
 * (one key, no key id, no aad), still opens with the ring's key named `v1` (LEGACY_KEY_ID).
 */
export interface KeyRing {
  /** The key new secrets are sealed with. */
  currentId: string;
  keys: ReadonlyMap<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** The key id that opens secrets of the first format (`v1.…`, sealed before key rings). */
export const LEGACY_KEY_ID = 'v1';

/**
 * The environment form of a key ring: `id=secret` pairs, comma-separated, the current key first;
 * each secret at least 32 characters (its SHA-256 is the AES key).
 */
export const keyRingEnv = z
  .string()
  .min(1)
  .refine(
    (spec) =>
      spec.split(',').every((pair) => {
        const [id, secret] = splitPair(pair);
        return KEY_ID.test(id) && secret.length >= 32;
      }),
    'must be id=secret pairs, comma-separated (ids: letters, digits, _ or -; secrets: 32+ characters)',
  );

function splitPair(pair: string): [string, string] {
  const at = pair.indexOf('=');
  return at < 0 ? [pair.trim(), ''] : [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
}

/**
 * The ring from its environment form; outside production a missing one is a fixed development key
 * (`devSecret`, never a real secret), in production it is a configuration error.
 */
export function keyRing(
  spec: string | undefined,
  options: { nodeEnv: string; variable: string; devSecret: string; devKeyId?: string },
): KeyRing {
  const value = spec ?? (options.nodeEnv === 'production' ? undefined : `${options.devKeyId ?? 'dev'}=${options.devSecret}`);
  if (!value) throw new Error(`Invalid configuration: ${options.variable} is required in production (id=secret pairs, 32+ characters)`);
  const keys = new Map<string, Buffer>();
  for (const pair of value.split(',')) {
    const [id, secret] = splitPair(pair);
    if (!KEY_ID.test(id) || secret.length < 32) throw new Error(`Invalid configuration: ${options.variable} has a malformed key "${id}"`);
    if (keys.has(id)) throw new Error(`Invalid configuration: ${options.variable} names key "${id}" twice`);
    keys.set(id, createHash('sha256').update(secret).digest());
  }
  return { currentId: splitPair(value.split(',')[0]!)[0], keys };
}

const b64 = (b: Buffer) => b.toString('base64url');

export function sealSecret(ring: KeyRing, plaintext: string, aad = ''): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ring.keys.get(ring.currentId)!, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v2', ring.currentId, b64(iv), b64(cipher.getAuthTag()), b64(ciphertext)].join('.');
}

export class SecretUnavailableError extends Error {
  override name = 'SecretUnavailableError';
}

/** Opens a sealed secret; throws SecretUnavailableError when its key left the ring, or it was tampered with or moved. */
export function openSecret(ring: KeyRing, stored: string, aad = ''): string {
  const parts = stored.split('.');
  // The first format has no key id and no aad: it opens with the legacy key, bound to no row.
  const [version, keyId, iv, tag, ciphertext] = parts[0] === 'v1' ? ['v1', LEGACY_KEY_ID, ...parts.slice(1)] : parts;
  if ((version !== 'v2' && version !== 'v1') || !keyId || !iv || !tag || ciphertext === undefined)
    throw new SecretUnavailableError('unknown secret format');
  if (version === 'v1') aad = '';
  const key = ring.keys.get(keyId);
  if (!key) throw new SecretUnavailableError(`the secret was sealed with key "${keyId}", which is not configured`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretUnavailableError('the secret does not open (tampered with, or sealed for another row)');
  }
}

/** The id of the key a sealed secret names (null for anything else, the first format included: it is always resealed). */
export function sealedWith(stored: string): string | null {
  const [version, keyId] = stored.split('.');
  return version === 'v2' && keyId ? keyId : null;
}

/** Whether a sealed secret should be sealed again under the ring's current key. */
export const needsReseal = (ring: KeyRing, stored: string): boolean => sealedWith(stored) !== ring.currentId;
