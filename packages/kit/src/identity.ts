import { createHmac } from 'node:crypto';
import { jwtVerify, errors as joseErrors } from 'jose';

/** The roles of DOMAIN.md, highest reach first. */
export const Roles = [
  'system_admin',
  'department_admin',
  'facility_admin',
  'staff',
  'resident',
  'guardian',
  'partner',
  'analyst',
  'integrator',
] as const;
export type Role = (typeof Roles)[number];

/** Who is asking, as verified by the gateway. Subgraphs never take scope from arguments, only from this. */
export interface Identity {
  userId: string;
  tenantId: string;
  facilityId: string | null;
  roles: Role[];
  /** Permission keys granted by the user's roles, resolved from the permission rows at request time. */
  permissions: string[];
  /** Facility feature flags (open_content, program_management, …) that subgraphs may rely on. */
  featureFlags?: string[];
  /**
   * A service account (a machine client with an API key), not a person: `userId` is the account's
   * id, `permissions` its own chosen ones, its reach its facility or (with none) its whole tenant.
   */
  serviceAccount?: boolean;
}

/** The header the gateway signs and subgraphs verify. */
export const IDENTITY_HEADER = 'x-pathway-identity';

const ISSUER = 'pathway-gateway';
const AUDIENCE = 'pathway-subgraph';
const ALG = 'HS256';
/** Claims every Pathway token must carry (jose checks `exp` only when present): a validly signed token without them is refused. */
export const REQUIRED_CLAIMS = ['exp', 'iat', 'iss', 'aud', 'sub'];
/** Short: the token only has to outlive one gateway → subgraph hop. */
const INTERNAL_TTL_SECONDS = 60;

const keyCache = new Map<string, Uint8Array>();
export function secretKey(secret: string): Uint8Array {
  let key = keyCache.get(secret);
  if (!key) keyCache.set(secret, (key = new TextEncoder().encode(secret)));
  return key;
}

/** The JWS header of every identity token, encoded once. */
const HEADER = Buffer.from(JSON.stringify({ alg: ALG })).toString('base64url');

/**
 * The identity as a compact JWS (HS256), signed synchronously with node:crypto's HMAC: the same
 * token jose would make (subgraphs verify it with jose), at a fraction of WebCrypto's cost per
 * token, which the gateway pays on every client request.
 */
export function signIdentityNow(identity: Identity, secret: string): string {
  const iat = Math.floor(Date.now() / 1000);
  const payload = {
    tid: identity.tenantId,
    fid: identity.facilityId,
    roles: identity.roles,
    perms: identity.permissions,
    flags: identity.featureFlags ?? [],
    ...(identity.serviceAccount ? { sa: true } : {}),
    sub: identity.userId,
    iss: ISSUER,
    aud: AUDIENCE,
    iat,
    exp: iat + INTERNAL_TTL_SECONDS,
  };
  const input = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${createHmac('sha256', secretKey(secret)).update(input).digest('base64url')}`;
}

export async function signIdentity(identity: Identity, secret: string): Promise<string> {
  return signIdentityNow(identity, secret);
}

/** Throws when the token is missing its signature, forged, expired or not meant for subgraphs. */
export async function verifyIdentity(token: string, secret: string): Promise<Identity> {
  const { payload } = await jwtVerify(token, secretKey(secret), {
    algorithms: [ALG],
    issuer: ISSUER,
    audience: AUDIENCE,
    requiredClaims: REQUIRED_CLAIMS,
  });
  if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string')
    throw new joseErrors.JWTClaimValidationFailed('identity claims missing', payload);
  return {
    userId: payload.sub,
    tenantId: payload.tid,
    facilityId: typeof payload.fid === 'string' ? payload.fid : null,
    roles: Array.isArray(payload.roles) ? (payload.roles as Role[]) : [],
    permissions: Array.isArray(payload.perms) ? (payload.perms as string[]) : [],
    featureFlags: Array.isArray(payload.flags) ? (payload.flags as string[]) : [],
    ...(payload.sa === true ? { serviceAccount: true } : {}),
  };
}
