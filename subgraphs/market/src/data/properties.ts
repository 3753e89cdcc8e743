import { badInput, decodeCursor, pageTake, reachOf, type Identity, type PageArgs } from '@pathway/kit';
import { Prisma } from '../generated/prisma/client.ts';
import type { Property } from '../generated/prisma/client.ts';
import { propertyAccess } from '../access.ts';

type Tx = Prisma.TransactionClient;

const byIdsVisible = (identity: Identity, ids: readonly string[]): Prisma.PropertyWhereInput => ({
  AND: [{ id: { in: [...ids] } }, propertyAccess.where(identity)],
});

/** Rows by id that the caller may see (RLS restricts to the tenant again underneath). */
export function findPropertiesByIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.property.findMany({ where: byIdsVisible(identity, ids) });
}

/** Which of `ids` the caller may see (the row rule's database fallback). */
export function visiblePropertyIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.property.findMany({ where: byIdsVisible(identity, ids), select: { id: true } });
}

/**
 * The newest listings of each of many owners in two queries, whatever the number of owners: a window
 * query picks each owner's page of ids (keyset on created_at, id, descending), then Prisma loads
 * them. Each owner's rows come back with one extra row when that owner has a next page.
 */
export async function propertiesOfOwners(tx: Tx, identity: Identity, ownerIds: readonly string[], page: PageArgs): Promise<Property[]> {
  const take = pageTake(page);
  // Narrows the window to the caller's tenant as propertyAccess does (its rows are read through it below).
  const tenant = reachOf(identity) === 'system' ? Prisma.empty : Prisma.sql`AND tenant_id = ${identity.tenantId}::uuid`;
  const after = page.after ? decodeCursor(page.after) : null;
  if (after && !(after.value instanceof Date)) throw badInput('The `after` cursor is not one this API returned. Start again without it.');
  // Milliseconds, as JavaScript sees them, so a cursor (made from a Date) never skips a row.
  const cursor = after
    ? Prisma.sql`AND (date_trunc('milliseconds', created_at), id) < (${after.value}::timestamptz, ${after.id}::uuid)`
    : Prisma.empty;
  const picked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM (
      SELECT id, row_number() OVER (PARTITION BY owner_id ORDER BY date_trunc('milliseconds', created_at) DESC, id DESC) AS rn
      FROM properties
      WHERE owner_id = ANY(${[...ownerIds]}::uuid[]) ${tenant} ${cursor}
    ) ranked
    WHERE rn <= ${take}`;
  if (picked.length === 0) return [];
  const rows = await tx.property.findMany({
    where: byIdsVisible(
      identity,
      picked.map((p) => p.id),
    ),
  });
  return rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}
