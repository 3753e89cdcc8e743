import { SignJWT, jwtVerify } from 'jose';
import { REQUIRED_CLAIMS, secretKey, type Role } from './identity.ts';

/**
 * The token a person's app sends as `Authorization: Bearer …`: issued by the identity subgraph at
 * login, verified by the gateway. It names who the person is; what they may do is looked up per
 * request, so a permission change needs no new token.
 */
export interface AccessClaims {
  userId: string;
  tenantId: string;
  facilityId: string | null;
  roles: Role[];
  sessionId: string;
  /** Set after an administrator's password reset: until changed, only `changePassword` and `logout` run. */
  mustChangePassword?: boolean;
  /**
   * Issued by the gateway's OAuth token endpoint to a service account (client credentials):
   * `userId` is the account's id, `sessionId` the key it was exchanged for.
   */
  serviceAccount?: boolean;
}

export interface VerifiedAccessClaims extends AccessClaims {
  expiresAt: Date;
}

const ISSUER = 'pathway-identity';
const AUDIENCE = 'pathway';
/** Only HS256 is accepted: a token signed another way (or `alg: none`) is refused, not reinterpreted. */
const ALG = 'HS256';

export async function signAccessToken(
  claims: AccessClaims,
  secret: string,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  const token = await new SignJWT({
    tid: claims.tenantId,
    fid: claims.facilityId,
    roles: claims.roles,
    sid: claims.sessionId,
    ...(claims.mustChangePassword ? { pwc: true } : {}),
    ...(claims.serviceAccount ? { sa: true } : {}),
  })
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(secretKey(secret));
  return { token, expiresAt };
}

export async function verifyAccessToken(token: string, secret: string): Promise<VerifiedAccessClaims> {
  const { payload } = await jwtVerify(token, secretKey(secret), {
    algorithms: [ALG],
    issuer: ISSUER,
    audience: AUDIENCE,
    requiredClaims: REQUIRED_CLAIMS,
  });
  if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || typeof payload.sid !== 'string')
    throw new Error('access token claims missing');
  return {
    userId: payload.sub,
    tenantId: payload.tid,
    facilityId: typeof payload.fid === 'string' ? payload.fid : null,
    roles: Array.isArray(payload.roles) ? (payload.roles as Role[]) : [],
    sessionId: payload.sid,
    mustChangePassword: payload.pwc === true,
    ...(payload.sa === true ? { serviceAccount: true } : {}),
    expiresAt: new Date((payload.exp ?? 0) * 1000),
  };
}
