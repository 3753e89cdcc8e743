import { decodeCursor, pageQuery, pageTake, tenantOf, type Identity, type PageArgs } from '@pathway/kit';
import type { CityResource, Prisma } from '../generated/prisma/client.ts';
import type { CityResourceFilter } from '../generated/graphql.ts';
import { cityResourceAccess } from '../access.ts';
import { checkNear, pointsWithin } from './geo.ts';
import { likeText } from './property-search.ts';

type Tx = Prisma.TransactionClient;
/** A resource as a search returns it: with its distance when the search had a `near` point. */
export type FoundCityResource = CityResource & { distanceMeters?: number | null };

/** At most this many resources in one circle are ranked (a city has dozens, not thousands). */
const MAX_NEAR = 5000;

function whereOf(identity: Identity, filter: CityResourceFilter): Prisma.CityResourceWhereInput[] {
  const search = filter.search?.trim() ? likeText(filter.search.trim()) : null;
  return [
    cityResourceAccess.where(identity),
    filter.city?.trim() ? { city: { equals: filter.city.trim(), mode: 'insensitive' } } : {},
    filter.state?.trim() ? { state: { equals: filter.state.trim(), mode: 'insensitive' } } : {},
    filter.zipCode?.trim() ? { zipCode: filter.zipCode.trim() } : {},
    filter.resourceType ? { resourceType: filter.resourceType } : {},
    search ? { OR: [{ name: { contains: search, mode: 'insensitive' } }, { description: { contains: search, mode: 'insensitive' } }] } : {},
  ];
}

export async function findCityResourcesByIds(tx: Tx, identity: Identity, ids: readonly string[]): Promise<CityResource[]> {
  return tx.cityResource.findMany({ where: { AND: [cityResourceAccess.where(identity), { id: { in: [...ids] } }] } });
}

/**
 * One page of the tenant's resources: newest first, or with `near` nearest first (the same geo
 * index and exact haversine as listings, data/geo.ts), paged by (distance, id).
 */
export async function searchCityResources(tx: Tx, identity: Identity, filter: CityResourceFilter, page: PageArgs) {
  const where = whereOf(identity, filter);
  if (!filter.near) {
    const query = pageQuery(page, 'createdAt', 'desc');
    const rows: FoundCityResource[] = await tx.cityResource.findMany({
      where: { AND: [...where, query.where] },
      orderBy: query.orderBy,
      take: query.take,
    });
    return { rows, take: query.take, sortField: 'createdAt' };
  }
  const distances = await pointsWithin(tx, 'city_resources', checkNear(filter.near), tenantOf(identity));
  const ids = [...distances.keys()].slice(0, MAX_NEAR);
  const found = await tx.cityResource.findMany({ where: { AND: [...where, { id: { in: ids } }] } });
  const byDistance = (a: CityResource, b: CityResource) => distances.get(a.id)! - distances.get(b.id)! || (a.id < b.id ? -1 : 1);
  let rows: FoundCityResource[] = found.sort(byDistance).map((r) => ({ ...r, distanceMeters: distances.get(r.id)! }));
  if (page.after) {
    const cursor = decodeCursor(page.after);
    const d = Number(cursor.value);
    rows = rows.filter((r) => r.distanceMeters! > d || (r.distanceMeters === d && r.id > cursor.id));
  }
  const take = pageTake(page);
  return { rows: rows.slice(0, take), take, sortField: 'distanceMeters' };
}
