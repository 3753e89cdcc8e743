import { PermissionDirectory, requestError, verifyAccessToken, type Identity } from '@pathway/kit';

/**
 * Turns a request's `Authorization: Bearer …` into the identity subgraphs will trust: the access
 * token says who the person is; their permissions come from the directory at this moment, so a
 * change to a role applies to the very next request.
 */
export class RequestAuthenticator {
  constructor(private readonly accessSecret: string, private readonly directory: PermissionDirectory) {}

  async identify(authorization: string | undefined): Promise<Identity | null> {
    if (!authorization) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw requestError('UNAUTHENTICATED', 'Send the access token as `Authorization: Bearer <token>`.');
    let claims;
    try {
      claims = await verifyAccessToken(match[1], this.accessSecret);
    } catch {
      throw requestError('UNAUTHENTICATED', 'The access token is invalid or has expired. Sign in again or refresh it.');
    }
    const permissions = await this.directory.permissionsFor(claims.roles);
    return { userId: claims.userId, tenantId: claims.tenantId, facilityId: claims.facilityId, roles: claims.roles, permissions };
  }
}
