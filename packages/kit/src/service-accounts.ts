import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Identity } from './identity.ts';

/**
 * Service accounts (machine clients) as the gateway sees them: identity owns the accounts and their
 * API keys and publishes this Redis hash from its tables (at start, after every change, and when
 * Redis lost it); the gateway looks a presented key up by its SHA-256, so a revoked account or an
 * expired key is refused on the very next request. Fields:
 *   `key:<sha256 of the key>` → { keyId, accountId, expiresAt (ms, or null while current) }
 *   `account:<id>`            → { tenantId, facilityId, permissions } (active accounts only)
 */
export const SERVICE_ACCOUNTS_KEY = 'pathway:service-accounts';
/** Marks a published directory (a hash with no accounts would not exist in Redis). */
export const SERVICE_ACCOUNTS_PUBLISHED_FIELD = '__published';
/** Key id → when it was last used (ms), written by the gateway, read by identity. */
export const API_KEY_LAST_USED_KEY = 'pathway:service-accounts:last-used';
/** Every API key starts with this, so a leaked one is recognisable (secret scanners). */
export const API_KEY_PREFIX = 'pwk_';

export interface PublishedApiKey {
  keyId: string;
  accountId: string;
  expiresAt: number | null;
}

export interface PublishedServiceAccount {
  tenantId: string;
  facilityId: string | null;
  permissions: string[];
}

export const apiKeyField = (keyHash: string) => `key:${keyHash}`;
export const serviceAccountField = (accountId: string) => `account:${accountId}`;

/** A new API key: the prefix and 32 random bytes; shown once, stored only as its hash. */
export function newApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Keys are random (256 bits), so a plain SHA-256 is enough to store and look them up. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export class ServiceAccountDirectory {
  constructor(private readonly redis: Redis) {}

  /** The account a key signs in as, and until when the key works; null for an unknown, revoked or expired key. */
  async authenticate(key: string): Promise<{ identity: Identity; keyId: string; keyExpiresAt: number | null } | null> {
    const raw = await this.redis.hget(SERVICE_ACCOUNTS_KEY, apiKeyField(hashApiKey(key)));
    if (!raw) return null;
    const entry = JSON.parse(raw) as PublishedApiKey;
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) return null;
    const identity = await this.identityOf(entry.accountId);
    if (!identity) return null;
    // Last used: best effort, never in the request's way.
    this.redis.hset(API_KEY_LAST_USED_KEY, entry.keyId, String(Date.now())).catch(() => {});
    return { identity, keyId: entry.keyId, keyExpiresAt: entry.expiresAt };
  }

  /** Who the account acts as now (its own permissions and scope); null once revoked. */
  async identityOf(accountId: string): Promise<Identity | null> {
    const account = await this.accountOf(accountId);
    if (!account) return null;
    return {
      userId: accountId,
      tenantId: account.tenantId,
      facilityId: account.facilityId,
      roles: ['integrator'],
      permissions: account.permissions,
      serviceAccount: true,
    };
  }

  /** The account's permissions now (empty once revoked): long-lived subscriptions re-read them per event. */
  async permissionsOf(accountId: string): Promise<string[]> {
    return (await this.accountOf(accountId))?.permissions ?? [];
  }

  /** The account as published now; null once revoked (or never created). */
  async accountOf(accountId: string): Promise<PublishedServiceAccount | null> {
    const raw = await this.redis.hget(SERVICE_ACCOUNTS_KEY, serviceAccountField(accountId));
    return raw ? (JSON.parse(raw) as PublishedServiceAccount) : null;
  }
}
