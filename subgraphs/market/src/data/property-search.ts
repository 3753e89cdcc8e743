import { badInput, decodeCursor, pageQuery, pageTake, tenantOf, type Identity, type PageArgs } from '@pathway/kit';
import { Prisma } from '../generated/prisma/client.ts';
import type { Property } from '../generated/prisma/client.ts';
import type { PropertyFilter, PropertySortField } from '../generated/graphql.ts';
import { managesListings, propertyAccess, PUBLIC_STATUSES } from '../access.ts';
import { checkNear, listingsWithin } from './geo.ts';
import { idsWithAllTags, tagSlugs } from './tags.ts';

type Tx = Prisma.TransactionClient;
export type PropertySort = { field: PropertySortField; direction: 'ASC' | 'DESC' };
/** A listing as a search returns it: with its distance from the search point when there was one. */
export type FoundProperty = Property & { distanceMeters?: number | null };

const sortColumns = { CREATED_AT: 'createdAt', PRICE: 'price', DISTANCE: 'distanceMeters' } as const satisfies Record<
  PropertySortField,
  string
>;

/** Prisma passes `contains`/`starts_with` text into LIKE unescaped: a `%` or `_` typed by a client must match itself. */
export const likeText = (text: string) => text.replace(/[\\%_]/g, '\\$&');
const inAddress = (path: string, text: string): Prisma.PropertyWhereInput => ({
  address: { path: [path], string_contains: text, mode: 'insensitive' },
});

function checkRanges(filter: PropertyFilter) {
  const fieldErrors: Record<string, string> = {};
  if (filter.minPrice && filter.maxPrice && filter.minPrice.greaterThan(filter.maxPrice)) fieldErrors.minPrice = 'greater than maxPrice';
  if (filter.minSizeSqft && filter.maxSizeSqft && filter.minSizeSqft.greaterThan(filter.maxSizeSqft))
    fieldErrors.minSizeSqft = 'greater than maxSizeSqft';
  for (const [i, condition] of (filter.features ?? []).entries())
    if (!condition.key.trim() || condition.key.length > 100) fieldErrors[`features.${i}.key`] = 'must be 1–100 characters';
  if ((filter.features?.length ?? 0) > 20) fieldErrors.features = 'at most 20 conditions';
  if (Object.keys(fieldErrors).length > 0) throw badInput('The filter is not valid.', fieldErrors);
}

/** The filter's conditions, ANDed with the access filter; non-managers browse only listings on the exchange. */
function whereOf(identity: Identity, filter: PropertyFilter): Prisma.PropertyWhereInput[] {
  const city = filter.city?.trim() ? likeText(filter.city.trim()) : null;
  const search = filter.search?.trim() ? likeText(filter.search.trim()) : null;
  return [
    propertyAccess.where(identity),
    // The same answer for everyone of one scope (the gateway caches it by scope): your own unlisted
    // listings are under User.listings, not here.
    managesListings(identity) ? {} : { status: { in: [...PUBLIC_STATUSES] } },
    filter.status ? { status: filter.status } : {},
    filter.propertyType ? { propertyType: filter.propertyType } : {},
    typeof filter.isVerified === 'boolean' ? { isVerified: filter.isVerified } : {},
    // A prefix, case-insensitive: "chi" finds Chicago and Chicago Heights.
    city ? { address: { path: ['city'], string_starts_with: city, mode: 'insensitive' } } : {},
    filter.minPrice ? { price: { gte: filter.minPrice } } : {},
    filter.maxPrice ? { price: { lte: filter.maxPrice } } : {},
    filter.minSizeSqft ? { sizeSqft: { gte: filter.minSizeSqft } } : {},
    filter.maxSizeSqft ? { sizeSqft: { lte: filter.maxSizeSqft } } : {},
    ...(filter.features ?? []).map((c) => ({ features: { path: [c.key], equals: c.equals as Prisma.InputJsonValue } })),
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
  ];
}

/** One page of the listings the caller may see; the access filter is ANDed in whatever the client asks. */
export async function searchProperties(tx: Tx, identity: Identity, filter: PropertyFilter, page: PageArgs, sort: PropertySort) {
  checkRanges(filter);
  const sortField = sortColumns[sort.field];
  if (sort.field === 'DISTANCE' && !filter.near) throw badInput('Sorting by distance needs `filter.near`.', { sort: 'needs filter.near' });
  const tagged = await idsWithAllTags(tx, identity, 'property', tagSlugs(filter.tags));
  const where = [...whereOf(identity, filter), tagged ? { id: { in: tagged } } : {}];
  if (filter.near) return { ...(await searchNear(tx, tenantOf(identity), where, checkNear(filter.near), page, sort)), sortField };
  const query = pageQuery(page, sortField, sort.direction === 'ASC' ? 'asc' : 'desc');
  const rows: FoundProperty[] = await tx.property.findMany({
    where: { AND: [...where, query.where] },
    orderBy: query.orderBy,
    take: query.take,
  });
  return { rows, take: query.take, sortField };
}

/** Ids per query to the database: bounded, whatever the number of listings in the circle. */
const ID_CHUNK = 5000;

/**
 * The radius path: the geo index names the listings in the circle with their distances (geo.ts),
 * Prisma keeps those the caller may see that match the filter, and the page is cut here by
 * (sort key, id), so the cursor works as on every other list.
 */
async function searchNear(
  tx: Tx,
  tenantId: string | null,
  where: Prisma.PropertyWhereInput[],
  near: NonNullable<PropertyFilter['near']>,
  page: PageArgs,
  sort: PropertySort,
) {
  const take = pageTake(page);
  const distances = await listingsWithin(tx, near, tenantId);
  const ids = [...distances.keys()];
  const matches: { id: string; price: Prisma.Decimal; createdAt: Date }[] = [];
  for (let i = 0; i < ids.length; i += ID_CHUNK)
    matches.push(
      ...(await tx.property.findMany({
        where: { AND: [...where, { id: { in: ids.slice(i, i + ID_CHUNK) } }] },
        select: { id: true, price: true, createdAt: true },
      })),
    );
  const key = (m: (typeof matches)[number]): number | Prisma.Decimal =>
    sort.field === 'DISTANCE' ? distances.get(m.id)! : sort.field === 'PRICE' ? m.price : m.createdAt.getTime();
  const sign = sort.direction === 'ASC' ? 1 : -1;
  const compareKeys = (a: number | Prisma.Decimal, b: number | Prisma.Decimal) =>
    typeof a === 'number' ? a - (b as number) : (a as Prisma.Decimal).comparedTo(b as Prisma.Decimal);
  const compare = (a: (typeof matches)[number], b: (typeof matches)[number]) =>
    sign * (compareKeys(key(a), key(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  matches.sort(compare);
  let rest = matches;
  if (page.after) {
    const cursor = decodeCursor(page.after);
    const value =
      sort.field === 'DISTANCE'
        ? Number(cursor.value)
        : sort.field === 'PRICE'
          ? new Prisma.Decimal(String(cursor.value))
          : new Date(cursor.value as string).getTime();
    if (typeof value === 'number' && Number.isNaN(value))
      throw badInput('The `after` cursor is not one this API returned. Start again without it.');
    rest = matches.filter((m) => sign * (compareKeys(key(m), value) || (m.id < cursor.id ? -1 : m.id > cursor.id ? 1 : 0)) > 0);
  }
  const pageIds = rest.slice(0, take).map((m) => m.id);
  const loaded = new Map((await tx.property.findMany({ where: { id: { in: pageIds } } })).map((row) => [row.id, row]));
  const rows: FoundProperty[] = pageIds.map((id) => ({ ...loaded.get(id)!, distanceMeters: distances.get(id)! }));
  return { rows, take };
}
