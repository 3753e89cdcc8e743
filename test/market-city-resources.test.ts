import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codes } from './support/client.ts';
import { seed, type SignedIn } from './support/seed.ts';

// City resources through the gateway: create and update (market.resource.manage), search by city,
// state, zip, type and text, and by radius (distances checked against haversine computed here).

const FIELDS = 'id city state zipCode resourceType name url apiAvailable latitude longitude distanceMeters';
const CREATE = `mutation($input: CityResourceInput!) { createCityResource(input: $input) { resourceId resource { ${FIELDS} } } }`;
const UPDATE = `mutation($id: UUID!, $input: UpdateCityResourceInput!) { updateCityResource(id: $id, input: $input) { resourceId resource { ${FIELDS} } } }`;
const SEARCH = `query($filter: CityResourceFilter, $first: Int, $after: String) { cityResources(filter: $filter, first: $first, after: $after) {
  nodes { id name distanceMeters } pageInfo { hasNextPage endCursor } } }`;

type Found = { id: string; name: string; distanceMeters: number | null };
const CENTER = { latitude: 41.8781, longitude: -87.6298 }; // Chicago

/** Great-circle distance in metres (haversine), independent of the server's SQL. */
function haversine(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }) {
  const R = 6371008.8;
  const rad = (d: number) => (d * Math.PI) / 180;
  const h =
    Math.sin(rad(b.latitude - a.latitude) / 2) ** 2 +
    Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(rad(b.longitude - a.longitude) / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

let partner: SignedIn, resident: SignedIn, staff: SignedIn, outsider: SignedIn;
let db: pg.Client;
const city = `Testville ${randomUUID().slice(0, 6)}`;

const resource = (over: Record<string, unknown> = {}) => ({
  input: {
    city,
    state: 'IL',
    zipCode: '60601',
    resourceType: 'assessor',
    name: 'Cook County Assessor',
    url: 'https://www.cookcountyassessor.com',
    description: 'Property values and exemptions.',
    latitude: '41.884000',
    longitude: '-87.632000',
    ...over,
  },
});

beforeAll(async () => {
  const tenant = await seed.tenant();
  const [f, of] = await Promise.all([tenant.facility(), (await seed.tenant()).facility()]);
  [partner, resident, staff, outsider] = await Promise.all([
    tenant.person('partner', f.id).then((p) => p.api()),
    f.resident().then((p) => p.api()),
    f.staff().then((p) => p.api()),
    of.facilityAdmin().then((p) => p.api()),
  ]);
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
}, 120_000);
afterAll(async () => {
  await db.end();
});

describe('city resources', () => {
  it('a partner adds and changes resources; residents search by city, type, text and radius with exact distances', async () => {
    // Points at known offsets from the centre: some inside 5 km, some outside.
    const points = [
      { name: 'Permit office', resourceType: 'permit', latitude: 41.88, longitude: -87.63 },
      { name: 'GIS portal', resourceType: 'gis', latitude: 41.9, longitude: -87.65 },
      { name: 'Tax office', resourceType: 'tax', latitude: 41.91, longitude: -87.6298 },
      { name: 'Far workforce center', resourceType: 'workforce', latitude: 42.05, longitude: -87.68 },
    ];
    const ids = new Map<string, string>();
    for (const p of points) {
      const res = await partner.gql<{ createCityResource: { resourceId: string } }>(
        CREATE,
        resource({ name: p.name, resourceType: p.resourceType, latitude: p.latitude.toFixed(6), longitude: p.longitude.toFixed(6) }),
      );
      ids.set(p.name, res.data!.createCityResource.resourceId);
    }
    const search = async (filter: Record<string, unknown>, first = 20, after?: string) =>
      (
        await resident.gql<{ cityResources: { nodes: Found[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(SEARCH, {
          filter: { city, ...filter },
          first,
          after,
        })
      ).data!.cityResources;
    const near = { ...CENTER, radiusMeters: 5000 };
    const expected = points
      .map((p) => ({ name: p.name, d: haversine(CENTER, p) }))
      .filter((p) => p.d <= near.radiusMeters)
      .sort((a, b) => a.d - b.d);
    const found = await search({ near });
    expect(found.nodes.map((n) => n.name)).toEqual(expected.map((p) => p.name));
    found.nodes.forEach((n, i) => expect(Math.abs(n.distanceMeters! - expected[i]!.d)).toBeLessThan(0.01));
    // Page by page in distance order.
    const first = await search({ near }, 2);
    const second = await search({ near }, 2, first.pageInfo.endCursor);
    expect([...first.nodes, ...second.nodes].map((n) => n.name)).toEqual(expected.map((p) => p.name));
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect((await search({ resourceType: 'gis' })).nodes.map((n) => n.name)).toEqual(['GIS portal']);
    expect((await search({ city: city.toUpperCase(), state: 'il', zipCode: '60601', search: 'tax' })).nodes.map((n) => n.name)).toEqual([
      'Tax office',
    ]);
    expect((await search({})).nodes[0]!.distanceMeters).toBeNull();
    // Moved far away: no longer in the circle.
    const moved = await partner.gql<{ updateCityResource: { resource: { latitude: string; city: string } } }>(UPDATE, {
      id: ids.get('Permit office'),
      input: { latitude: '42.100000', longitude: '-87.700000', apiAvailable: true, apiEndpoint: 'https://api.example.org/permits' },
    });
    expect(moved.data!.updateCityResource.resource).toMatchObject({ latitude: '42.10', city });
    expect((await search({ near })).nodes.map((n) => n.name)).not.toContain('Permit office');
    const log = await db.query(`SELECT activity_type FROM market.activity_logs WHERE entity_id = $1 ORDER BY created_at`, [
      ids.get('Permit office'),
    ]);
    expect(log.rows.map((r) => r.activity_type)).toEqual(['resource.created', 'resource.updated']);
    // Another tenant sees none of them.
    const theirs = await outsider.gql<{ cityResources: { nodes: Found[] } }>(SEARCH, { filter: { city } });
    expect(theirs.data!.cityResources.nodes).toEqual([]);
  });

  it('refuses people without market.resource.manage, bad input and administrators of other tenants (NOT_FOUND); nothing is written', async () => {
    const count = async () =>
      (await db.query('SELECT count(*)::int AS n FROM market.city_resources WHERE city = $1', [`${city} refused`])).rows[0].n;
    for (const who of [resident, staff]) expect(codes(await who.gql(CREATE, resource({ city: `${city} refused` })))).toEqual(['FORBIDDEN']);
    for (const over of [
      { url: 'ftp://x.example.org' },
      { latitude: '91.000000' },
      { latitude: '41.1234567' },
      { longitude: null },
      { resourceType: 'Tax Office' },
      { zipCode: '!!' },
      { name: '' },
    ])
      expect([over, codes(await partner.gql(CREATE, resource({ city: `${city} refused`, ...over })))]).toEqual([over, ['BAD_USER_INPUT']]);
    expect(await count()).toBe(0);
    const id = (await partner.gql<{ createCityResource: { resourceId: string } }>(CREATE, resource({ name: 'Refusals' }))).data!
      .createCityResource.resourceId;
    expect(codes(await outsider.gql(UPDATE, { id, input: { name: 'Mine' } }))).toEqual(['NOT_FOUND']);
    expect(codes(await partner.gql(UPDATE, { id: randomUUID(), input: { name: 'x' } }))).toEqual(['NOT_FOUND']);
    expect(codes(await partner.gql(UPDATE, { id, input: { latitude: null } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await partner.gql(UPDATE, { id, input: { name: 'Refusals' } }))).toEqual(['CONFLICT']);
    expect(codes(await resident.gql(SEARCH, { filter: { near: { latitude: 95, longitude: 0, radiusMeters: 10 } } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
});
