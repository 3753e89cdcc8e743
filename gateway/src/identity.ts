import { FacilityFlagDirectory, PermissionDirectory, requestError, verifyAccessToken, type Identity } from '@pathway/kit';

export interface Session {
  identity: Identity;
  expiresAt: Date;
  /** After an administrator's password reset: only changing the password (or signing out) is allowed. */
  mustChangePassword: boolean;
}

/**
 * Turns a request's `Authorization: Bearer …` into the identity subgraphs will trust: the access
 * token says who the person is; their permissions come from the directory at this moment, so a
 * change to a role applies to the very next request.
 */
export class RequestAuthenticator {
  constructor(
    private readonly accessSecret: string,
    private readonly directory: PermissionDirectory,
    private readonly facilityFlags: FacilityFlagDirectory,
  ) {}

  /** The identity and when its token expires; null without a token; UNAUTHENTICATED for a bad one. */
  async session(authorization: string | undefined): Promise<Session | null> {
    if (!authorization) return null;
    const match = /^(?:Bearer\s+)?(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) throw requestError('UNAUTHENTICATED', 'Send the access token as `Authorization: Bearer <token>`.');
    let claims;
    try {
      claims = await verifyAccessToken(match[1], this.accessSecret);
    } catch {
      throw requestError('UNAUTHENTICATED', 'The access token is invalid or has expired. Sign in again or refresh it.');
    }
    const identity = {
      userId: claims.userId,
      tenantId: claims.tenantId,
      facilityId: claims.facilityId,
      roles: claims.roles,
      permissions: [] as string[],
    };
    return {
      identity: await this.withCurrentPermissions(identity),
      expiresAt: claims.expiresAt,
      mustChangePassword: claims.mustChangePassword === true,
    };
  }

  /**
   * The same person with the permissions their roles grant, and their facility's feature flags,
   * right now (long-lived subscriptions re-read them per event).
   */
  async withCurrentPermissions(identity: Identity): Promise<Identity> {
    const [permissions, featureFlags] = await Promise.all([
      this.directory.permissionsFor(identity.roles),
      this.facilityFlags.flagsOf(identity.facilityId),
    ]);
    return { ...identity, permissions, featureFlags };
  }
}
