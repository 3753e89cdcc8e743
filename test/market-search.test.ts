import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pgAdapter } from '@pathway/kit';
import { PrismaClient } from '../subgraphs/market/src/generated/prisma/client.ts';
import { geoIndex, listingsWithin, type GeoIndex } from '../subgraphs/market/src/data/geo.ts';
import { codes } from './support/client.ts';
import { seed, type SignedIn } from './support/seed.ts';

// Searching listings: filters, sorts, and the radius search checked against distances this test
// computes itself (haversine in JavaScript), through the gateway; and both of the database's ways of
// finding nearby listings (the cube index and the bounding-box fallback) against the same numbers.

const CENTER = { latitude: 41.8781, longitude: -87.6298 }; // Chicago Loop
const R = 6371008.8; // mean Earth radius, metres

/** Great-circle distance in metres (haversine), independent of the server's SQL. */
function haversine(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }) {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h =
    Math.sin(rad(b.latitude - a.latitude) / 2) ** 2 +
    Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(rad(b.longitude - a.longitude) / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A fixed pseudo-random sequence (so a failure can be replayed). */
function random(seedValue: number) {
  let x = seedValue;
  return () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
}

type Placed = { id: string; latitude: number; longitude: number; price: number; type: string };
const placed: Placed[] = [];
let partner: SignedIn, resident: SignedIn, outsiderPartner: SignedIn;

const SEARCH = `query($filter: PropertyFilter, $sort: PropertySort, $first: Int, $after: String) {
  properties(filter: $filter, sort: $sort, first: $first, after: $after) {
    nodes { id price distanceMeters propertyType } pageInfo { hasNextPage endCursor } } }`;
type Page = {
  properties: {
    nodes: { id: string; price: string; propertyType: string; distanceMeters: number | null }[];
    pageInfo: { hasNextPage: boolean; endCursor: string };
  };
};

async function createAt(who: SignedIn, latitude: number, longitude: number, price: string, propertyType: string, features = {}) {
  const res = await who.gql<{ createProperty: { propertyId: string } }>(
    'mutation($input: CreatePropertyInput!) { createProperty(input: $input) { propertyId } }',
    {
      input: {
        propertyType,
        address: { line1: `${price} Search Ave`, city: 'Chicago', country: 'US' },
        latitude: latitude.toFixed(6),
        longitude: longitude.toFixed(6),
        price,
        sizeSqft: String(300 + Math.round(Number(price))),
        features,
      },
    },
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.createProperty.propertyId;
}

/** Every page of a search, following `endCursor`. */
async function allPages(who: SignedIn, variables: Record<string, unknown>) {
  const nodes: Page['properties']['nodes'] = [];
  let after: string | null = null;
  for (;;) {
    const res: { data?: Page | null; errors?: unknown } = await who.gql<Page>(SEARCH, { ...variables, first: 7, after });
    expect(res.errors).toBeUndefined();
    nodes.push(...res.data!.properties.nodes);
    if (!res.data!.properties.pageInfo.hasNextPage) return nodes;
    after = res.data!.properties.pageInfo.endCursor;
  }
}

beforeAll(async () => {
  const tenant = await seed.tenant();
  const other = await seed.tenant();
  const f = await tenant.facility();
  [partner, resident, outsiderPartner] = await Promise.all([
    tenant.person('partner', f.id).then((p) => p.api()),
    f.resident().then((p) => p.api()),
    other.person('partner').then((p) => p.api()),
  ]);
  const next = random(2026);
  const types = ['apartment', 'house', 'transitional_housing'];
  const specs = Array.from({ length: 45 }, (_, i) => {
    // Up to ~25 km from the centre in any direction: some inside a 10 km circle, some outside.
    const distance = 25_000 * Math.sqrt(next());
    const bearing = 2 * Math.PI * next();
    const latitude = CENTER.latitude + ((distance * Math.cos(bearing)) / R) * (180 / Math.PI);
    const longitude =
      CENTER.longitude + ((distance * Math.sin(bearing)) / (R * Math.cos((CENTER.latitude * Math.PI) / 180))) * (180 / Math.PI);
    return { latitude: Number(latitude.toFixed(6)), longitude: Number(longitude.toFixed(6)), price: 400 + 25 * i, type: types[i % 3]! };
  });
  for (let i = 0; i < specs.length; i += 9) {
    const batch = specs.slice(i, i + 9);
    const ids = await Promise.all(
      batch.map((s, j) => createAt(partner, s.latitude, s.longitude, `${s.price}.00`, s.type, { secondChanceLease: (i + j) % 2 === 0 })),
    );
    batch.forEach((s, j) => placed.push({ ...s, id: ids[j]! }));
  }
  // Another tenant's listing right at the centre: never in this tenant's answers.
  await createAt(outsiderPartner, CENTER.latitude, CENTER.longitude, '1.00', 'house');
}, 180_000);

describe('radius search', () => {
  const radiusMeters = 10_000;
  const expected = () =>
    placed
      .map((p) => ({ ...p, d: haversine(CENTER, p) }))
      .filter((p) => p.d <= radiusMeters)
      .sort((a, b) => a.d - b.d);

  it('finds exactly the listings within the radius, nearest first, with their distances, across pages', async () => {
    const want = expected();
    expect(want.length).toBeGreaterThan(5); // the fixture puts some inside and some outside
    expect(want.length).toBeLessThan(placed.length);
    // No listing sits so close to the circle that rounding could decide it.
    for (const p of placed) expect(Math.abs(haversine(CENTER, p) - radiusMeters)).toBeGreaterThan(1);
    const got = await allPages(resident, { filter: { near: { ...CENTER, radiusMeters } }, sort: { field: 'DISTANCE' } });
    expect(got.map((n) => n.id)).toEqual(want.map((p) => p.id));
    got.forEach((n, i) => expect(Math.abs(n.distanceMeters! - want[i]!.d)).toBeLessThan(0.01));
  });

  it('sorts the circle by price and combines it with other filters', async () => {
    const want = expected()
      .filter((p) => p.type !== 'house' && p.price <= 1300)
      .sort((a, b) => b.price - a.price)
      .map((p) => p.id);
    expect(want.length).toBeGreaterThan(1);
    const got = await allPages(resident, {
      filter: { near: { ...CENTER, radiusMeters }, maxPrice: '1300' },
      sort: { field: 'PRICE', direction: 'DESC' },
    });
    expect(got.filter((n) => n.propertyType !== 'house').map((n) => n.id)).toEqual(want);
    expect(got.every((n) => Number(n.price) <= 1300)).toBe(true);
  });

  it('refuses a bad point or radius, and distance sorting without a point (BAD_USER_INPUT)', async () => {
    for (const near of [
      { latitude: 90.1, longitude: 0, radiusMeters: 10 },
      { latitude: 0, longitude: -180.5, radiusMeters: 10 },
      { latitude: 0, longitude: 0, radiusMeters: 0 },
      { latitude: 0, longitude: 0, radiusMeters: 100_001 },
    ])
      expect(codes(await resident.gql(SEARCH, { filter: { near } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await resident.gql(SEARCH, { sort: { field: 'DISTANCE' } }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('filters', () => {
  const ids = async (filter: Record<string, unknown>, sort?: Record<string, unknown>) =>
    (await allPages(resident, { filter, sort })).map((n) => n.id);
  const mine = (pred: (p: Placed) => boolean) => placed.filter(pred).map((p) => p.id);
  // Restricts each search to this file's listings (other files list properties in other tenants, never this one).
  const here = { search: 'Search Ave' };

  it('by type, price range, size range and features', async () => {
    expect((await ids({ ...here, propertyType: 'house' })).sort()).toEqual(mine((p) => p.type === 'house').sort());
    expect((await ids({ ...here, minPrice: '500', maxPrice: '700.00' })).sort()).toEqual(
      mine((p) => p.price >= 500 && p.price <= 700).sort(),
    );
    expect((await ids({ ...here, minSizeSqft: '1000', maxSizeSqft: '1100' })).sort()).toEqual(
      mine((p) => 300 + p.price >= 1000 && 300 + p.price <= 1100).sort(),
    );
    expect((await ids({ ...here, features: [{ key: 'secondChanceLease', equals: true }] })).sort()).toEqual(
      placed
        .filter((_, i) => i % 2 === 0)
        .map((p) => p.id)
        .sort(),
    );
  });

  it('sorted by price, ascending, across pages', async () => {
    const got = await allPages(resident, { filter: here, sort: { field: 'PRICE' } });
    expect(got.map((n) => Number(n.price))).toEqual([...placed].map((p) => p.price).sort((a, b) => a - b));
  });

  it('refuses a minimum above the maximum and a feature key that is empty (BAD_USER_INPUT)', async () => {
    expect(codes(await resident.gql(SEARCH, { filter: { minPrice: '10', maxPrice: '5' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await resident.gql(SEARCH, { filter: { minSizeSqft: '10', maxSizeSqft: '5' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await resident.gql(SEARCH, { filter: { features: [{ key: ' ', equals: 1 }] } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await resident.gql(SEARCH, { filter: { minPrice: 5 } }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('the database side of radius search (the stack’s database, as its owner)', () => {
  const prisma = new PrismaClient({ adapter: pgAdapter(inject('adminDatabaseUrl'), 'market') });
  afterAll(() => prisma.$disconnect());
  const ours = (found: Map<string, number>) => new Map([...found].filter(([id]) => placed.some((p) => p.id === id)));

  it('uses the cube index on this machine, and the bounding-box fallback gives the same answer', async () => {
    const near = { ...CENTER, radiusMeters: 12_345 };
    const index = await prisma.$transaction((tx) => geoIndex(tx));
    expect(index.kind).toBe('cube'); // Debian's PostgreSQL 15 ships the cube extension (README, Market)
    const want = new Map(
      placed.map((p) => [p.id, haversine(CENTER, p)]).filter(([, d]) => (d as number) <= near.radiusMeters) as [string, number][],
    );
    for (const kind of [index, { kind: 'bbox' } as GeoIndex]) {
      const got = ours(await prisma.$transaction((tx) => listingsWithin(tx, near, null, kind)));
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [id, d] of got) expect(Math.abs(d - want.get(id)!)).toBeLessThan(0.01);
    }
  });

  it('the bounding box wraps across the antimeridian and opens at the poles', async () => {
    const points = [
      { latitude: 10, longitude: 179.99 },
      { latitude: 10, longitude: -179.99 },
      { latitude: 89.99, longitude: 0 },
      { latitude: 89.99, longitude: 180 },
    ];
    const ids = await Promise.all(points.map((p) => createAt(outsiderPartner, p.latitude, p.longitude, '5.00', 'vacant_lot')));
    for (const [center, expectIds] of [
      [{ latitude: 10, longitude: 180 }, ids.slice(0, 2)],
      [{ latitude: 90, longitude: 0 }, ids.slice(2, 4)],
    ] as const) {
      for (const kind of [{ kind: 'bbox' } as GeoIndex, await prisma.$transaction((tx) => geoIndex(tx))]) {
        const got = await prisma.$transaction((tx) => listingsWithin(tx, { ...center, radiusMeters: 5_000 }, null, kind));
        expect([...got.keys()].filter((id) => ids.includes(id)).sort()).toEqual([...expectIds].sort());
      }
    }
  });
});
