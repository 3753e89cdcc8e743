import { openSecret, SecretUnavailableError } from '@pathway/kit';
import type { ProviderPlatform } from '../generated/prisma/client.ts';
import { brightspaceClient } from './brightspace.ts';
import { canvasClient } from './canvas.ts';
import { kolibriClient } from './kolibri.ts';
import { ProviderError } from './errors.ts';
import type { ProviderSettings } from './settings.ts';
import type { ProviderClient } from './types.ts';

/** The platform fields a client needs, the sealed credential included (read only for calls, never by the API). */
export type CallablePlatform = Pick<ProviderPlatform, 'id' | 'type' | 'baseUrl' | 'accountId' | 'oauthClientId' | 'accessKeyEncrypted'>;

/** The client for a platform, its credential opened for the call; ProviderError when it cannot be. */
export function clientFor(platform: CallablePlatform, settings: ProviderSettings, signal?: AbortSignal): ProviderClient {
  if (!platform.baseUrl || !platform.accountId) throw new ProviderError('malformed', 'the platform has no address or account id');
  if (!platform.accessKeyEncrypted) throw new ProviderError('credentials_unavailable', 'the platform has no credentials: set them first');
  let secret: string;
  try {
    secret = openSecret(settings.ring, platform.accessKeyEncrypted, platform.id);
  } catch (error) {
    if (!(error instanceof SecretUnavailableError)) throw error;
    throw new ProviderError('credentials_unavailable', `the stored credentials cannot be opened (${error.message}): set them again`);
  }
  const policy = {
    timeoutMs: settings.timeoutMs,
    maxAttempts: settings.maxAttempts,
    backoffMs: settings.backoffMs,
    allowPrivateNetworks: settings.allowPrivateNetworks,
    signal,
  };
  switch (platform.type) {
    case 'canvas_oss':
    case 'canvas_cloud':
      return canvasClient({ baseUrl: platform.baseUrl, accountId: platform.accountId }, secret, policy);
    case 'kolibri':
      return kolibriClient(
        { baseUrl: platform.baseUrl, facilityId: platform.accountId, username: platform.oauthClientId ?? '', password: secret },
        policy,
      );
    case 'brightspace':
      return brightspaceClient(
        {
          baseUrl: platform.baseUrl,
          orgUnitId: platform.accountId,
          clientId: platform.oauthClientId ?? '',
          clientSecret: secret,
          tokenUrl: settings.brightspaceTokenUrl,
        },
        policy,
      );
  }
}
