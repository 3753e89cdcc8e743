import type { Identity } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import { describeProviderError } from '../providers/errors.ts';
import { clientFor, type CallablePlatform } from '../providers/index.ts';
import type { ProviderSettings } from '../providers/settings.ts';
import { lockPlatform } from './providers.ts';

type Tx = Prisma.TransactionClient;

/** The platform with its sealed credential, if the caller may manage it (NOT_FOUND / FORBIDDEN otherwise). */
export async function platformToCall(tx: Tx, identity: Identity, id: string): Promise<CallablePlatform> {
  const platform = await lockPlatform(tx, identity, id);
  return tx.providerPlatform.findUniqueOrThrow({
    where: { id: platform.id },
    select: { id: true, type: true, baseUrl: true, accountId: true, oauthClientId: true, accessKeyEncrypted: true },
  });
}

/**
 * Calls the platform once (outside any transaction: no connection is held while waiting on it) and
 * says how it went in words an administrator can act on.
 */
export async function testConnection(platform: CallablePlatform, settings: ProviderSettings) {
  const started = Date.now();
  const checkedAt = new Date();
  try {
    const report = await clientFor(platform, settings).testConnection();
    return {
      ok: true,
      status: 'ok' as const,
      message: `Connected to "${report.accountName}".`,
      accountName: report.accountName,
      latencyMs: Date.now() - started,
      checkedAt,
    };
  } catch (error) {
    const { kind, message } = describeProviderError(error);
    if (kind === 'internal') throw error;
    return { ok: false, status: kind, message, accountName: null, latencyMs: Date.now() - started, checkedAt };
  }
}
