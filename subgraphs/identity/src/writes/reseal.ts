import { needsReseal, openSecret, sealSecret, withScope, type KeyRing, type Logger } from '@pathway/kit';
import type { PrismaClient } from '../generated/prisma/client.ts';

interface Sealed {
  id: string;
  secretCiphertext: string | null;
}

/** One table's sealed secrets: how to list the stale ones and swap one, only if it is still the same. */
interface SealedTable {
  name: string;
  stale(prisma: PrismaClient, where: object): Promise<Sealed[]>;
  swap(prisma: PrismaClient, id: string, from: string, to: string): Promise<number>;
}

const TABLES: SealedTable[] = [
  {
    name: 'integrations',
    stale: (prisma, where) =>
      withScope(prisma, 'service', (tx) => tx.integration.findMany({ where, select: { id: true, secretCiphertext: true } })),
    swap: (prisma, id, from, to) =>
      withScope(prisma, 'service', (tx) =>
        tx.integration.updateMany({ where: { id, secretCiphertext: from }, data: { secretCiphertext: to } }),
      ).then((r) => r.count),
  },
  {
    name: 'webhook_endpoints',
    stale: (prisma, where) =>
      withScope(prisma, 'service', (tx) => tx.webhookEndpoint.findMany({ where, select: { id: true, secretCiphertext: true } })),
    swap: (prisma, id, from, to) =>
      withScope(prisma, 'service', (tx) =>
        tx.webhookEndpoint.updateMany({ where: { id, secretCiphertext: from }, data: { secretCiphertext: to } }),
      ).then((r) => r.count),
  },
];

/**
 * Key rotation's second step for identity, run at every start (like learning's for provider
 * credentials): integration and webhook secrets sealed with another key than the ring's current
 * one, or in the first format, are sealed again with the current key. The swap only happens if
 * the row still holds what was read (no lock is held while the secret is opened), so a secret
 * changed meanwhile is left as its writer sealed it. A secret whose key left the ring is counted
 * and logged: it needs a new secret (rotate the webhook secret, update the integration).
 */
export async function resealIntegrationSecrets(
  prisma: PrismaClient,
  ring: KeyRing,
  options: { log?: Logger; onlyIds?: string[] } = {},
): Promise<{ resealed: number; unreadable: number }> {
  const { log, onlyIds } = options;
  const counts = { resealed: 0, unreadable: 0 };
  const where = { NOT: { secretCiphertext: { startsWith: `v2.${ring.currentId}.` } }, ...(onlyIds ? { id: { in: onlyIds } } : {}) };
  for (const table of TABLES) {
    for (const row of await table.stale(prisma, where)) {
      if (!row.secretCiphertext || !needsReseal(ring, row.secretCiphertext)) continue;
      let plaintext: string;
      try {
        plaintext = openSecret(ring, row.secretCiphertext);
      } catch (error) {
        counts.unreadable += 1;
        log?.warn({ table: table.name, id: row.id, err: error }, 'a sealed secret cannot be opened with the configured keys');
        continue;
      }
      counts.resealed += await table.swap(prisma, row.id, row.secretCiphertext, sealSecret(ring, plaintext));
    }
  }
  if (counts.resealed || counts.unreadable) log?.info(counts, 'integration and webhook secrets resealed with the current key');
  return counts;
}
