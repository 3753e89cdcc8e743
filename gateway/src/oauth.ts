import express, { type Express, type Response } from 'express';
import { GraphQLError } from 'graphql';
import type { RequestAuthenticator } from './identity.ts';
import type { RateLimits } from './rate-limits.ts';

/** RFC 6749 §5.2 error codes this endpoint answers with (and `slow_down`, RFC 8628's, when rate limited). */
type OAuthError = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'slow_down';

export interface TokenEndpointOptions {
  authenticator: RequestAuthenticator;
  rateLimits: RateLimits;
  /** Lifetime of an issued access token (never beyond the key's overlap after a rotation). */
  ttlSeconds: number;
}

function fail(res: Response, status: number, error: OAuthError, description: string) {
  // §5.2: a client that authenticated with the Authorization header is told the scheme it may use.
  if (error === 'invalid_client') res.setHeader('www-authenticate', 'Basic realm="pathway"');
  res.status(status).json({ error, error_description: description });
}

/** `application/x-www-form-urlencoded` decoding of one Basic credential half (RFC 6749 §2.3.1, Appendix B). */
const formDecode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));

/** The client's id and secret from HTTP Basic, or `undefined` without that header; null when it is malformed. */
function basicCredentials(authorization: string | undefined): { clientId: string; clientSecret: string } | null | undefined {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!authorization) return undefined;
  if (!encoded) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

/**
 * OAuth 2 client credentials (RFC 6749 §4.4) at `POST /oauth/token`: a service account sends its id
 * as `client_id` and an API key as `client_secret` (HTTP Basic or form fields, §2.3.1) and gets a
 * short-lived access token to send as `Authorization: Bearer`. Failed attempts count like failed
 * sign-ins (rate-limits.ts).
 */
export function serveTokenEndpoint(app: Express, opts: TokenEndpointOptions): void {
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 20 });
  app.post(
    '/oauth/token',
    opts.rateLimits.floodGuard(),
    (req, res, next) =>
      form(req, res, (error?: unknown) => (error ? fail(res, 400, 'invalid_request', 'The body is not a valid form.') : next())),
    (req, res, next) => {
      res.setHeader('cache-control', 'no-store');
      res.setHeader('pragma', 'no-cache');
      issue(req.body as Record<string, unknown> | undefined, req.headers.authorization, req.ip ?? 'unknown', res, opts).catch(next);
    },
  );
}

async function issue(
  body: Record<string, unknown> | undefined,
  authorization: string | undefined,
  clientAddress: string,
  res: Response,
  opts: TokenEndpointOptions,
): Promise<void> {
  if (!body || typeof body !== 'object')
    return fail(res, 400, 'invalid_request', 'Send the parameters form-encoded (application/x-www-form-urlencoded).');
  // §3.2: parameters must not repeat (the form parser makes repeated ones arrays).
  const repeated = Object.keys(body).filter((k) => typeof body[k] !== 'string');
  if (repeated.length) return fail(res, 400, 'invalid_request', `Parameters sent more than once: ${repeated.join(', ')}.`);
  const params = body as Record<string, string>;
  if (!params.grant_type) return fail(res, 400, 'invalid_request', 'The `grant_type` parameter is missing.');
  if (params.grant_type !== 'client_credentials')
    return fail(res, 400, 'unsupported_grant_type', 'Only `grant_type=client_credentials` is supported.');

  const basic = basicCredentials(authorization);
  if (basic === null) return fail(res, 401, 'invalid_client', 'The Authorization header is not valid HTTP Basic credentials.');
  if (basic && (params.client_secret !== undefined || (params.client_id !== undefined && params.client_id !== basic.clientId)))
    return fail(res, 400, 'invalid_request', 'Authenticate the client one way only: HTTP Basic or the form fields, not both.');
  const clientId = basic?.clientId ?? params.client_id;
  const clientSecret = basic?.clientSecret ?? params.client_secret;
  if (!clientId || !clientSecret)
    return fail(res, 401, 'invalid_client', 'Send the service account id and an API key (HTTP Basic, or `client_id` and `client_secret`).');

  let attempt;
  try {
    attempt = await opts.rateLimits.signInAttempt(clientAddress);
  } catch (error) {
    const retryAfter = error instanceof GraphQLError ? Number(error.extensions.retryAfterSeconds) : NaN;
    if (!Number.isFinite(retryAfter)) throw error;
    res.setHeader('retry-after', String(retryAfter));
    return fail(res, 429, 'slow_down', error instanceof GraphQLError ? error.message : 'Too many requests.');
  }
  const issued = await opts.authenticator.clientCredentialsToken(clientId, clientSecret, opts.ttlSeconds);
  if (!issued)
    return fail(res, 401, 'invalid_client', 'The client id and secret do not match a current API key of an active service account.');
  await attempt.succeeded();
  res.json({ access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresIn });
}
