import type { Identity } from '@pathway/kit';
import type { Prisma, ProviderPlatform } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

export type PlatformChangeAction =
  'platform.registered' | 'platform.updated' | 'platform.state_changed' | 'platform.archived' | 'platform.credentials_resealed';

/** What a change log line keeps of a platform: never the credential, only how it signs in. */
export const platformSnapshot = (p: Omit<ProviderPlatform, 'accessKeyEncrypted'>, facilityIds: string[]) => ({
  name: p.name,
  type: p.type,
  baseUrl: p.baseUrl,
  accountId: p.accountId,
  authType: p.authType,
  oauthClientId: p.oauthClientId,
  state: p.state,
  syncSchedule: p.syncSchedule,
  syncTimezone: p.syncTimezone,
  facilityIds,
});

/** Writes one change log line; call it inside the transaction that makes the change. */
export async function logPlatformChange(
  tx: Tx,
  actor: Identity | { userId: string },
  platform: Pick<ProviderPlatform, 'id' | 'tenantId'>,
  action: PlatformChangeAction,
  before: Prisma.InputJsonValue | null,
  after: Prisma.InputJsonValue | null,
  reason: string | null = null,
) {
  await tx.providerPlatformChange.create({
    data: {
      tenantId: platform.tenantId,
      providerPlatformId: platform.id,
      actorId: actor.userId,
      action,
      reason,
      before: before ?? undefined,
      after: after ?? undefined,
    },
  });
}
