import { createHmac, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors } from 'jose';

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

/**
 * Throws when the token is missing its signature, forged, expired or not meant for subgraphs.
 * Checked with a synchronous HMAC (node:crypto) rather than jose's WebCrypto, which hands every
 * check to the thread pool and back: every subgraph request verifies one of these (issue 16's
 * profile: 5–7% of a subgraph's CPU). The checks `jwtVerify` made (HS256 only, issuer, audience,
 * `REQUIRED_CLAIMS`, exp/nbf) with the same jose error classes: `verifyHs256` below.
 */
export async function verifyIdentity(token: string, secret: string): Promise<Identity> {
  const payload = verifyHs256(token, secret);
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

const decodeJson = (part: string): unknown => {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A compact HS256 JWS signed with `secret`, with the claims `verifyIdentity` requires: its payload. */
function verifyHs256(token: string, secret: string): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new joseErrors.JWSInvalid('Invalid Compact JWS');
  const [head, body, signature] = parts as [string, string, string];
  const header = decodeJson(head);
  if (!isObject(header)) throw new joseErrors.JWSInvalid('JWS Protected Header is invalid');
  if (header.alg !== ALG) throw new joseErrors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
  if (header.crit !== undefined || header.b64 !== undefined) throw new joseErrors.JWSInvalid('Unsupported JWS header parameters');
  const expected = createHmac('sha256', secretKey(secret)).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  // A signature in anything but canonical base64url is refused, not read leniently.
  if (given.length !== expected.length || given.toString('base64url') !== signature || !timingSafeEqual(given, expected))
    throw new joseErrors.JWSSignatureVerificationFailed();
  const payload = decodeJson(body);
  if (!isObject(payload)) throw new joseErrors.JWTInvalid('JWT Claims Set must be a top-level JSON object');
  for (const claim of REQUIRED_CLAIMS)
    if (!(claim in payload)) throw new joseErrors.JWTClaimValidationFailed(`missing required "${claim}" claim`, payload, claim, 'missing');
  if (payload.iss !== ISSUER) throw new joseErrors.JWTClaimValidationFailed('unexpected "iss" claim value', payload, 'iss', 'check_failed');
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audiences.includes(AUDIENCE))
    throw new joseErrors.JWTClaimValidationFailed('unexpected "aud" claim value', payload, 'aud', 'check_failed');
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.iat !== 'number')
    throw new joseErrors.JWTClaimValidationFailed('"iat" claim must be a number', payload, 'iat', 'invalid');
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now))
    throw new joseErrors.JWTClaimValidationFailed('"nbf" claim timestamp check failed', payload, 'nbf', 'check_failed');
  if (typeof payload.exp !== 'number')
    throw new joseErrors.JWTClaimValidationFailed('"exp" claim must be a number', payload, 'exp', 'invalid');
  if (payload.exp <= now) throw new joseErrors.JWTExpired('"exp" claim timestamp check failed', payload, 'exp', 'check_failed');
  return payload;
}
