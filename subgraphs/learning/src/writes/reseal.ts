import { needsReseal, openSecret, sealSecret, withScope, type KeyRing, type Logger } from '@pathway/kit';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { logPlatformChange } from './provider-changes.ts';

/** The actor of changes the service makes by itself (no person). */
export const SERVICE_ACTOR = '00000000-0000-0000-0000-000000000000';

/**
 * Key rotation's second step, run at every start: credentials sealed with a key other than the
 * ring's current one are opened and sealed again with the current key, each platform in its own
 * transaction under a row lock, with a change log line. A credential whose key left the ring is
 * left alone (and logged): it cannot be opened, so the platform needs new credentials.
 */
export async function resealCredentials(
  prisma: PrismaClient,
  ring: KeyRing,
  options: { log?: Logger; onlyIds?: string[] } = {},
): Promise<{ resealed: number; unreadable: number }> {
  const { log, onlyIds } = options;
  const counts = { resealed: 0, unreadable: 0 };
  const candidates = await withScope(prisma, 'service', (tx) =>
    tx.providerPlatform.findMany({
      where: {
        accessKeyEncrypted: { not: null },
        NOT: { accessKeyEncrypted: { startsWith: `v2.${ring.currentId}.` } },
        ...(onlyIds ? { id: { in: onlyIds } } : {}),
      },
      select: { id: true },
    }),
  );
  for (const { id } of candidates) {
    await withScope(prisma, 'service', async (tx) => {
      await tx.$queryRaw`SELECT id FROM provider_platforms WHERE id = ${id}::uuid FOR UPDATE`;
      const row = await tx.providerPlatform.findUnique({ where: { id }, omit: { accessKeyEncrypted: false } });
      if (!row?.accessKeyEncrypted || !needsReseal(ring, row.accessKeyEncrypted)) return;
      let plaintext: string;
      try {
        plaintext = openSecret(ring, row.accessKeyEncrypted, row.id);
      } catch (error) {
        counts.unreadable += 1;
        log?.warn({ providerPlatformId: row.id, err: error }, 'provider credential cannot be opened with the configured keys');
        return;
      }
      await tx.providerPlatform.update({ where: { id }, data: { accessKeyEncrypted: sealSecret(ring, plaintext, row.id) } });
      await logPlatformChange(tx, { userId: SERVICE_ACTOR }, row, 'platform.credentials_resealed', null, { keyId: ring.currentId });
      counts.resealed += 1;
    });
  }
  if (counts.resealed || counts.unreadable) log?.info(counts, 'provider credentials resealed with the current key');
  return counts;
}
