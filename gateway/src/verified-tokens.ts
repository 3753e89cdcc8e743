import { verifyAccessToken, type VerifiedAccessClaims } from '@pathway/kit';

/** Distinct tokens remembered; the least recently used goes first (a few hundred bytes each). */
const MAX_ENTRIES = 10_000;

/**
 * Access tokens whose signature and claims were verified, with their claims, each only until it
 * expires. An app sends the same token with every request for its lifetime, and verifying it
 * (WebCrypto HMAC through jose) was the largest single cost of a request on the gateway. Only
 * tokens that verified are kept, so a stranger cannot fill it without the signing secret; what a
 * token's claims say never changes, and what can change while it is valid (a session ended, a
 * role's permissions) is still read on every request.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, VerifiedAccessClaims>();

  constructor(
    private readonly secret: string,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

  /** The token's claims; throws, as `verifyAccessToken` does, for a forged, malformed or expired one. */
  async verify(token: string): Promise<VerifiedAccessClaims> {
    const known = this.entries.get(token);
    if (known) {
      this.entries.delete(token);
      if (Date.now() < known.expiresAt.getTime()) {
        this.entries.set(token, known); // most recently used last
        return known;
      }
    }
    const claims = await verifyAccessToken(token, this.secret);
    this.entries.set(token, claims);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return claims;
  }

  get size(): number {
    return this.entries.size;
  }
}
