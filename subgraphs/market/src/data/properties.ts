import { badInput, decodeCursor, pageQuery, pageTake, reachOf, type Identity, type PageArgs } from '@pathway/kit';
import { Prisma } from '../generated/prisma/client.ts';
import type { Property } from '../generated/prisma/client.ts';
import type { PropertyFilter, PropertySortField } from '../generated/graphql.ts';
import { propertyAccess } from '../access.ts';

type Tx = Prisma.TransactionClient;

const sortColumns = { CREATED_AT: 'createdAt', PRICE: 'price' } as const satisfies Record<PropertySortField, string>;

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

/** Prisma passes `contains`/`starts_with` text into LIKE unescaped: a `%` or `_` typed by a client must match itself. */
const likeText = (text: string) => text.replace(/[\\%_]/g, '\\$&');
const inAddress = (path: string, text: string): Prisma.PropertyWhereInput => ({
  address: { path: [path], string_contains: text, mode: 'insensitive' },
});

/** One page of the listings the caller may see; the access filter is ANDed in whatever the client asks. */
export async function listProperties(
  tx: Tx,
  identity: Identity,
  filter: PropertyFilter,
  page: PageArgs,
  sort: { field: PropertySortField; direction: 'ASC' | 'DESC' },
) {
  if (filter.minPrice && filter.maxPrice && filter.minPrice.greaterThan(filter.maxPrice))
    throw badInput('`minPrice` must not be greater than `maxPrice`.', { minPrice: 'greater than maxPrice' });
  const sortField = sortColumns[sort.field];
  const query = pageQuery(page, sortField, sort.direction === 'ASC' ? 'asc' : 'desc');
  const city = filter.city?.trim() ? likeText(filter.city.trim()) : null;
  const search = filter.search?.trim() ? likeText(filter.search.trim()) : null;
  const where: Prisma.PropertyWhereInput = {
    AND: [
      propertyAccess.where(identity),
      query.where,
      filter.status ? { status: filter.status } : {},
      filter.propertyType ? { propertyType: filter.propertyType } : {},
      // A prefix, case-insensitive: "chi" finds Chicago and Chicago Heights.
      city ? { address: { path: ['city'], string_starts_with: city, mode: 'insensitive' } } : {},
      filter.minPrice ? { price: { gte: filter.minPrice } } : {},
      filter.maxPrice ? { price: { lte: filter.maxPrice } } : {},
      search
        ? {
            OR: [
              { description: { contains: search, mode: 'insensitive' } },
              { zoning: { contains: search, mode: 'insensitive' } },
              inAddress('line1', search),
              inAddress('city', search),
            ],
          }
        : {},
    ],
  };
  const rows = await tx.property.findMany({ where, orderBy: query.orderBy, take: query.take });
  return { rows, query, sortField };
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
