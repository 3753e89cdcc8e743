import { badInput, isPrivateHost } from '@pathway/kit';
import { z } from 'zod';
import type { ProviderAuthType, ProviderPlatformType } from '../generated/prisma/client.ts';

// zod runs refinements after a failed check too, so they must cope with a string that is no URL.
const parsed = (url: string) => (URL.canParse(url) ? new URL(url) : null);

/**
 * A provider's address: https (http only where private networks are allowed), no credentials,
 * query or fragment, and no loopback/private host unless allowed (like webhook endpoints). Kept
 * without a trailing slash, since API paths are appended to it.
 */
export const baseUrlField = (allowPrivate: boolean) =>
  z
    .string()
    .trim()
    .max(2048, 'at most 2048 characters')
    .refine((url) => parsed(url) !== null, 'must be a URL')
    .refine((url) => {
      const protocol = parsed(url)?.protocol;
      return protocol === 'https:' || (allowPrivate && protocol === 'http:');
    }, 'must be an https:// URL')
    .refine((url) => !parsed(url)?.username && !parsed(url)?.password, 'must not contain credentials')
    .refine((url) => !parsed(url)?.search && !parsed(url)?.hash, 'must not have a query or fragment')
    .refine((url) => allowPrivate || !isPrivateHost(parsed(url)?.hostname ?? ''), 'must not point at a private or loopback address')
    .transform((url) => url.replace(/\/+$/, ''));

const secret = z.string().trim().min(8, 'at least 8 characters').max(4096, 'at most 4096 characters');
export const credentialsField = z.object({
  accessKey: secret.nullish(),
  oauthClientId: z.string().trim().min(1, 'must not be empty').max(512).nullish(),
  oauthClientSecret: secret.nullish(),
});
type Credentials = z.infer<typeof credentialsField>;

export const nameField = z.string().trim().min(1, 'required').max(200, 'at most 200 characters');
export const accountIdField = z.string().trim().min(1, 'required').max(255, 'at most 255 characters');
export const facilityIdsField = z
  .array(z.guid('not an id'))
  .max(500, 'at most 500 facilities')
  .transform((ids) => [...new Set(ids)].sort());

/** How each platform type signs in (Canvas: an API token; Brightspace: OAuth 2 client credentials; Kolibri: username and password). */
export const AUTH_OF_TYPE: Record<ProviderPlatformType, ProviderAuthType> = {
  canvas_oss: 'access_key',
  canvas_cloud: 'access_key',
  brightspace: 'oauth_client_credentials',
  kolibri: 'oauth_client_credentials',
};

export interface ResolvedCredentials {
  authType: ProviderAuthType;
  clientId: string | null;
  secret: string;
}

const misfit = (fieldErrors: Record<string, string>) => badInput('The credentials do not fit the platform type.', fieldErrors);

/** The credentials as the platform type needs them; BAD_USER_INPUT naming what is missing or extra. */
export function resolveCredentials(type: ProviderPlatformType, c: Credentials): ResolvedCredentials {
  const authType = AUTH_OF_TYPE[type];
  if (authType === 'access_key') {
    if (c.oauthClientId || c.oauthClientSecret) throw misfit({ 'credentials.oauthClientId': `${type} signs in with an access key` });
    if (!c.accessKey) throw misfit({ 'credentials.accessKey': `required for ${type}` });
    return { authType, clientId: null, secret: c.accessKey };
  }
  if (c.accessKey) throw misfit({ 'credentials.accessKey': `${type} signs in with an OAuth client id and secret` });
  const errors: Record<string, string> = {};
  if (!c.oauthClientId) errors['credentials.oauthClientId'] = `required for ${type}`;
  if (!c.oauthClientSecret) errors['credentials.oauthClientSecret'] = `required for ${type}`;
  if (Object.keys(errors).length) throw misfit(errors);
  return { authType, clientId: c.oauthClientId!, secret: c.oauthClientSecret! };
}
