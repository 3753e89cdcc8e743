import {
  type EndedSessions,
  FacilityFlagDirectory,
  PermissionDirectory,
  requestError,
  ServiceAccountDirectory,
  signAccessToken,
  type Identity,
  type VerifiedAccessClaims,
} from '@pathway/kit';
import { VerifiedTokens } from './verified-tokens.ts';

/** An API key session is checked again at least this often (a socket is closed and reconnects). */
const API_KEY_SESSION_MS = 15 * 60_000;
/** A token of a session that ended early (kit ended-sessions.ts). */
const SESSION_ENDED = 'This session has ended (you signed out, your password was changed, or an administrator ended it). Sign in again.';

export interface Session {
  identity: Identity;
  expiresAt: Date;
  /** After an administrator's password reset: only changing the password (or signing out) is allowed. */
  mustChangePassword: boolean;
}

/**
 * Turns a request's `Authorization: Bearer …` into the identity subgraphs will trust: the access
 * token says who the person is; their permissions come from the directory at this moment, so a
 * change to a role applies to the very next request. `Authorization: ApiKey …` signs in a service
 * account (identity's directory of keys in Redis): its own permissions and scope, refused as soon
 * as the account is revoked or the key's overlap after a rotation has ended. The same account may
 * trade a key for a short-lived access token (OAuth 2 client credentials, oauth.ts) and send that
 * as `Bearer`: still refused from the moment the account is revoked.
 */
export class RequestAuthenticator {
  private readonly tokens: VerifiedTokens;

  constructor(
    private readonly accessSecret: string,
    private readonly directory: PermissionDirectory,
    private readonly facilityFlags: FacilityFlagDirectory,
    private readonly serviceAccounts: ServiceAccountDirectory,
    private readonly endedSessions: EndedSessions,
  ) {
    this.tokens = new VerifiedTokens(accessSecret);
  }

  /** The identity and when its token expires; null without a token; UNAUTHENTICATED for a bad one. */
  async session(authorization: string | undefined): Promise<Session | null> {
    if (!authorization) return null;
    const apiKey = /^ApiKey\s+(\S+)$/i.exec(authorization.trim())?.[1];
    if (apiKey) return this.serviceAccountSession(apiKey);
    const match = /^(?:Bearer\s+)?(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) throw requestError('UNAUTHENTICATED', 'Send the access token as `Authorization: Bearer <token>`.');
    let claims;
    try {
      claims = await this.tokens.verify(match[1]);
    } catch {
      throw requestError('UNAUTHENTICATED', 'The access token is invalid or has expired. Sign in again or refresh it.');
    }
    if (claims.serviceAccount) return this.serviceAccountTokenSession(claims);
    const identity = {
      userId: claims.userId,
      tenantId: claims.tenantId,
      facilityId: claims.facilityId,
      roles: claims.roles,
      permissions: [] as string[],
    };
    const [ended, current] = await Promise.all([this.endedSessions.hasEnded(claims.sessionId), this.withCurrentPermissions(identity)]);
    if (ended) throw requestError('UNAUTHENTICATED', SESSION_ENDED);
    return {
      identity: current,
      expiresAt: claims.expiresAt,
      mustChangePassword: claims.mustChangePassword === true,
    };
  }

  /**
   * OAuth 2 client credentials: the account `clientId` with one of its current keys gets an access
   * token for `ttlSeconds` (never beyond the key's overlap); null when the pair does not match.
   */
  async clientCredentialsToken(clientId: string, apiKey: string, ttlSeconds: number): Promise<{ token: string; expiresIn: number } | null> {
    const found = await this.serviceAccounts.authenticate(apiKey);
    if (!found || found.identity.userId !== clientId) return null;
    const keyLeft = found.keyExpiresAt === null ? ttlSeconds : Math.floor((found.keyExpiresAt - Date.now()) / 1000);
    const expiresIn = Math.max(1, Math.min(ttlSeconds, keyLeft));
    const { identity } = found;
    const claims = {
      userId: identity.userId,
      tenantId: identity.tenantId,
      facilityId: identity.facilityId,
      roles: identity.roles,
      sessionId: found.keyId,
      serviceAccount: true,
    };
    const { token } = await signAccessToken(claims, this.accessSecret, expiresIn);
    return { token, expiresIn };
  }

  /** Whether the identity still stands: a service account until it is revoked; a person's token until it expires (timed elsewhere). */
  async isActive(identity: Identity): Promise<boolean> {
    return !identity.serviceAccount || (await this.serviceAccounts.accountOf(identity.userId)) !== null;
  }

  private async serviceAccountTokenSession(claims: VerifiedAccessClaims): Promise<Session> {
    const identity = await this.serviceAccounts.identityOf(claims.userId);
    if (!identity) throw requestError('UNAUTHENTICATED', 'The service account of this access token is revoked.');
    return {
      identity: { ...identity, featureFlags: await this.facilityFlags.flagsOf(identity.facilityId) },
      expiresAt: claims.expiresAt,
      mustChangePassword: false,
    };
  }

  private async serviceAccountSession(apiKey: string): Promise<Session> {
    const found = await this.serviceAccounts.authenticate(apiKey);
    if (!found) throw unknownKey();
    const featureFlags = await this.facilityFlags.flagsOf(found.identity.facilityId);
    const recheckAt = Date.now() + API_KEY_SESSION_MS;
    return {
      identity: { ...found.identity, featureFlags },
      expiresAt: new Date(found.keyExpiresAt === null ? recheckAt : Math.min(found.keyExpiresAt, recheckAt)),
      mustChangePassword: false,
    };
  }

  /**
   * The same person with the permissions their roles grant, and their facility's feature flags,
   * right now (long-lived subscriptions re-read them per event).
   */
  async withCurrentPermissions(identity: Identity): Promise<Identity> {
    const [permissions, featureFlags] = await Promise.all([
      identity.serviceAccount ? this.serviceAccounts.permissionsOf(identity.userId) : this.directory.permissionsFor(identity.roles),
      this.facilityFlags.flagsOf(identity.facilityId),
    ]);
    return { ...identity, permissions, featureFlags };
  }
}

/** One answer for a key that never existed, was revoked or is past its overlap: nothing to tell them apart. */
const unknownKey = () =>
  requestError('UNAUTHENTICATED', 'The API key is unknown, revoked or past its overlap after a rotation. Use a current key.');
