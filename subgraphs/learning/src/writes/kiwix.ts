import type { OpenContentProvider, Prisma } from '../generated/prisma/client.ts';
import { describeProviderError, type ProviderErrorKind } from '../providers/errors.ts';
import type { HttpPolicy } from '../providers/http.ts';
import { readKiwixCatalog, type KiwixBook } from '../providers/kiwix.ts';

/** How one read of a Kiwix catalog went (UnlockEdv2's scrape_kiwix). */
export interface KiwixScrapeResult {
  ok: boolean;
  status: ProviderErrorKind | 'ok' | 'not_supported';
  message: string;
  librariesSeen: number;
  librariesCreated: number;
  librariesUpdated: number;
  librariesUnchanged: number;
}

/** A transaction as the caller is scoped (a request's `ctx.db.run`, a job's service scope). */
export type RunTx = <R>(fn: (tx: Prisma.TransactionClient) => Promise<R>) => Promise<R>;

const FIELDS = ['title', 'description', 'language', 'url', 'thumbnailUrl'] as const;

/**
 * Reads the provider's OPDS catalog (outside any transaction: the network may be slow), then adds
 * the new books and updates the changed ones in one transaction: a second read of an unchanged
 * catalog counts them all unchanged. Libraries the catalog no longer lists are kept (favorites and
 * visibility stay), as UnlockEdv2 does. A failed read changes nothing and says why.
 */
export async function scrapeKiwix(run: RunTx, provider: OpenContentProvider, policy: HttpPolicy): Promise<KiwixScrapeResult> {
  const none = { librariesSeen: 0, librariesCreated: 0, librariesUpdated: 0, librariesUnchanged: 0 };
  if (provider.kind !== 'kiwix')
    return { ok: false, status: 'not_supported', message: 'Only Kiwix providers have a catalog to read.', ...none };
  let books: KiwixBook[];
  try {
    books = await readKiwixCatalog(provider.url, policy);
  } catch (error) {
    const { kind, message } = describeProviderError(error);
    return { ok: false, status: kind === 'internal' ? 'malformed' : kind, message, ...none };
  }
  const unique = [...new Map(books.map((book) => [book.externalId, book])).values()];
  const counts = await run(async (tx) => {
    const existing = new Map(
      (await tx.library.findMany({ where: { openContentProviderId: provider.id } })).map((row) => [row.externalId, row]),
    );
    let created = 0;
    let updated = 0;
    const fresh = unique.filter((book) => !existing.has(book.externalId));
    if (fresh.length) {
      created = (
        await tx.library.createMany({
          data: fresh.map((book) => ({ tenantId: provider.tenantId, openContentProviderId: provider.id, ...book })),
          skipDuplicates: true,
        })
      ).count;
    }
    for (const book of unique) {
      const row = existing.get(book.externalId);
      if (!row || FIELDS.every((field) => (row[field] ?? null) === (book[field] ?? null))) continue;
      await tx.library.update({ where: { id: row.id }, data: Object.fromEntries(FIELDS.map((field) => [field, book[field]])) });
      updated++;
    }
    await tx.openContentProvider.update({ where: { id: provider.id }, data: { lastSyncedAt: new Date() } });
    return { librariesCreated: created, librariesUpdated: updated, librariesUnchanged: unique.length - created - updated };
  });
  return { ok: true, status: 'ok', message: `Read ${unique.length} libraries from the catalog.`, librariesSeen: unique.length, ...counts };
}
