import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Used only outside production, so development and tests need no setup. Never a real secret. */
const DEV_KEY = 'pathway-dev-integration-secret-key-not-for-production';

/** The 256-bit key from INTEGRATION_SECRET_KEY (required in production). */
export function integrationKey(config: { NODE_ENV: string; INTEGRATION_SECRET_KEY?: string | undefined }): Buffer {
  const secret = config.INTEGRATION_SECRET_KEY ?? (config.NODE_ENV === 'production' ? null : DEV_KEY);
  if (!secret) throw new Error('Invalid configuration: INTEGRATION_SECRET_KEY is required in production (32+ characters)');
  return createHash('sha256').update(secret).digest();
}

const b64 = (b: Buffer) => b.toString('base64url');

/** AES-256-GCM with a random 96-bit IV: "v1.<iv>.<tag>.<ciphertext>". */
export function encryptSecret(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', b64(iv), b64(cipher.getAuthTag()), b64(ciphertext)].join('.');
}

/** For the integration code that will call out; throws when the value was tampered with or the key differs. */
export function decryptSecret(key: Buffer, stored: string): string {
  const [version, iv, tag, ciphertext] = stored.split('.');
  if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('unknown secret format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}
