import { beforeAll, describe, expect, it } from 'vitest';
import { codes } from './support/client.ts';
import { seed, type SeededPerson, type SeededTenant, type SignedIn } from './support/seed.ts';

// Listing writes through the gateway: who may create, change, verify, unlist, relist and archive a
// listing and set its media; what bad input is refused; and that a refusal changes nothing.

const FIELDS = `propertyId status property { id status price currency isVerified verifiedAt latitude longitude owner { id } organization { id }
  address { line1 city country } features media { mediaType url isPrimary position } primaryMedia { url } }`;
const CREATE = `mutation($input: CreatePropertyInput!) { createProperty(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: UUID!, $input: UpdatePropertyInput!) { updateProperty(id: $id, input: $input) { ${FIELDS} } }`;
const VERIFY = `mutation($id: UUID!) { verifyProperty(id: $id) { ${FIELDS} } }`;
const UNLIST = `mutation($id: UUID!, $reason: String) { unlistProperty(id: $id, reason: $reason) { ${FIELDS} } }`;
const RELIST = `mutation($id: UUID!) { relistProperty(id: $id) { ${FIELDS} } }`;
const ARCHIVE = `mutation($id: UUID!, $reason: String) { archiveProperty(id: $id, reason: $reason) { ${FIELDS} } }`;
const MEDIA = `mutation($id: UUID!, $media: [PropertyMediaInput!]!) { setPropertyMedia(propertyId: $id, media: $media) { ${FIELDS} } }`;
const READ = `query($id: UUID!) { property(id: $id) { id status price isVerified description media { url isPrimary position }
  activity { nodes { activityType actor { id } reason before after } } } }`;

const listing = (over: Record<string, unknown> = {}) => ({
  propertyType: 'apartment',
  address: { line1: '1 Test St', city: 'Chicago', country: 'US' },
  latitude: '41.881832',
  longitude: '-87.623177',
  price: '900.00',
  features: { secondChanceLease: true, bedrooms: 1 },
  ...over,
});

/** What the tests read of a listing (the selections above). */
type Listing = {
  id: string;
  status: string;
  isVerified: boolean;
  media: unknown[];
  primaryMedia: unknown;
  activity: { nodes: { activityType: string; reason: string | null }[] };
  [field: string]: unknown;
};
type Change = { propertyId: string; status: string; property: Listing | null };
const changeOf = (res: { data?: Record<string, unknown> | null }) => Object.values(res.data ?? {})[0] as Change | null;

let tenant: SeededTenant;
let partner: SignedIn, partnerPerson: SeededPerson, resident: SignedIn, staff: SignedIn, admin: SignedIn, analyst: SignedIn;
let outsider: SignedIn; // an administrator of another tenant

beforeAll(async () => {
  tenant = await seed.tenant();
  const other = await seed.tenant();
  const f = await tenant.facility();
  const of = await other.facility();
  partnerPerson = await tenant.person('partner', f.id);
  [partner, resident, staff, admin, analyst, outsider] = await Promise.all([
    partnerPerson.api(),
    f.resident().then((p) => p.api()),
    f.staff().then((p) => p.api()),
    f.facilityAdmin().then((p) => p.api()),
    tenant.analyst().then((p) => p.api()),
    of.facilityAdmin().then((p) => p.api()),
  ]);
}, 120_000);

async function create(over: Record<string, unknown> = {}) {
  const res = await partner.gql(CREATE, { input: listing(over) });
  expect(res.errors).toBeUndefined();
  return changeOf(res)!.property!;
}
const read = async (id: string) => (await admin.gql<{ property: Listing }>(READ, { id })).data!.property;

describe('createProperty', () => {
  it('lists a property owned by the caller, in their organization, with an activity line', async () => {
    const created = await create({ description: 'two blocks from the Red Line' });
    expect(created).toMatchObject({
      status: 'available',
      price: '900.00',
      currency: 'USD',
      isVerified: false,
      latitude: '41.881832',
      owner: { id: partnerPerson.id },
      organization: { id: tenant.id },
      features: { secondChanceLease: true, bedrooms: 1 },
      media: [],
      primaryMedia: null,
    });
    const stored = await read(created.id);
    expect(stored.activity.nodes).toEqual([
      expect.objectContaining({ activityType: 'property.created', actor: { id: partnerPerson.id }, before: null }),
    ]);
  });

  it('refuses residents and analysts (FORBIDDEN) and creates nothing', async () => {
    const marker = `refused-${Date.now()}`;
    for (const who of [resident, analyst]) {
      const res = await who.gql(CREATE, { input: listing({ description: marker }) });
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(res.data?.createProperty).toBeNull();
    }
    const found = await admin.gql<{ properties: { nodes: unknown[] } }>(
      'query($s: String) { properties(filter: { search: $s }, first: 5) { nodes { id } } }',
      { s: marker },
    );
    expect(found.data!.properties.nodes).toEqual([]);
  });

  it.each([
    ['a negative price', { price: '-1.00' }, 'price'],
    ['a price with three decimals', { price: '10.005' }, 'price'],
    ['a latitude above 90', { latitude: '90.5' }, 'latitude'],
    ['a longitude below -180', { longitude: '-180.000001' }, 'longitude'],
    ['a latitude without a longitude', { longitude: null }, 'longitude'],
    ['a zero size', { sizeSqft: '0' }, 'sizeSqft'],
    ['a lowercase currency', { currency: 'usd' }, 'currency'],
    ['a country name', { address: { line1: '1 Test St', city: 'Chicago', country: 'United States' } }, 'address.country'],
    ['features that are a list', { features: [1, 2] }, 'features'],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (_, over, field) => {
    const res = await partner.gql(CREATE, { input: listing(over) });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys((res.errors![0]!.extensions!.fieldErrors as object) ?? {})).toContain(field);
  });

  it.each([
    ['a number', 12.5],
    ['text that is not a decimal', '12,50'],
    ['an exponent', '1e3'],
  ])('refuses a price sent as %s (the Decimal scalar)', async (_, price) => {
    expect(codes(await partner.gql(CREATE, { input: listing({ price }) }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('updateProperty', () => {
  it('changes the given fields, keeps the rest, records before → after and clears verification on a new price', async () => {
    const created = await create();
    expect(changeOf(await admin.gql(VERIFY, { id: created.id }))!.property!.isVerified).toBe(true);
    const res = await partner.gql(UPDATE, { id: created.id, input: { price: '950.00', description: 'now with a yard' } });
    expect(changeOf(res)!.property).toMatchObject({ price: '950.00', isVerified: false, verifiedAt: null, latitude: '41.881832' });
    const [updated] = (await read(created.id)).activity.nodes;
    expect(updated).toMatchObject({
      activityType: 'property.updated',
      before: { price: '900.00', description: null, isVerified: true },
      after: { price: '950.00', description: 'now with a yard', isVerified: false },
    });
  });

  it('lets a listing manager of the tenant change it', async () => {
    const created = await create();
    expect(changeOf(await admin.gql(UPDATE, { id: created.id, input: { zoning: 'B3-3' } }))!.propertyId).toBe(created.id);
  });

  it('refuses residents and staff (FORBIDDEN), another tenant and unknown ids (NOT_FOUND); nothing changes', async () => {
    const created = await create();
    for (const who of [resident, staff])
      expect(codes(await who.gql(UPDATE, { id: created.id, input: { price: '1.00' } }))).toEqual(['FORBIDDEN']);
    expect(codes(await outsider.gql(UPDATE, { id: created.id, input: { price: '1.00' } }))).toEqual(['NOT_FOUND']);
    expect(codes(await partner.gql(UPDATE, { id: '00000000-0000-4000-8000-000000000000', input: { price: '1.00' } }))).toEqual([
      'NOT_FOUND',
    ]);
    expect(codes(await partner.gql(UPDATE, { id: 'not-a-uuid', input: { price: '1.00' } }))).toEqual(['BAD_USER_INPUT']);
    for (const input of [
      { price: '-5' },
      { price: null },
      { latitude: '-91' },
      { latitude: null },
      { address: { line1: '', city: 'X', country: 'US' } },
    ])
      expect(codes(await partner.gql(UPDATE, { id: created.id, input }))).toEqual(['BAD_USER_INPUT']);
    const stored = await read(created.id);
    expect(stored).toMatchObject({ price: '900.00', status: 'available' });
    expect(stored.activity.nodes.map((n) => n.activityType)).toEqual(['property.created']);
  });
});

describe('verifyProperty', () => {
  it('is for administrators: partners and residents are FORBIDDEN, twice is ALREADY_IN_STATE', async () => {
    const created = await create();
    for (const who of [partner, resident]) expect(codes(await who.gql(VERIFY, { id: created.id }))).toEqual(['FORBIDDEN']);
    expect((await read(created.id)).isVerified).toBe(false);
    expect(codes(await outsider.gql(VERIFY, { id: created.id }))).toEqual(['NOT_FOUND']);
    expect(changeOf(await admin.gql(VERIFY, { id: created.id }))!.property).toMatchObject({
      isVerified: true,
      verifiedAt: expect.any(String),
    });
    const again = await admin.gql(VERIFY, { id: created.id });
    expect(again.errors?.map((e) => e.extensions?.reason)).toEqual(['ALREADY_IN_STATE']);
  });
});

describe('unlist, relist, archive', () => {
  it('hides an unlisted listing from browsing but not from its owner, relists it, and archives it for good', async () => {
    const created = await create();
    const unlisted = changeOf(await partner.gql(UNLIST, { id: created.id, reason: 'repairs' }))!;
    expect(unlisted.status).toBe('unlisted');
    // The resident may read listings, but not unlisted ones: not found, like any id out of reach.
    expect(
      (await resident.gql<{ property: unknown }>('query($id: UUID!) { property(id: $id) { id } }', { id: created.id })).data!.property,
    ).toBeNull();
    const mine = await partner.gql<{ me: { listings: { nodes: { id: string; status: string }[] } } }>(
      '{ me { listings(first: 100) { nodes { id status } } } }',
    );
    expect(mine.data!.me.listings.nodes).toContainEqual({ id: created.id, status: 'unlisted' });
    expect(codes(await partner.gql(UNLIST, { id: created.id }))).toEqual(['CONFLICT']);
    expect(changeOf(await partner.gql(RELIST, { id: created.id }))!.status).toBe('available');
    expect(changeOf(await admin.gql(ARCHIVE, { id: created.id, reason: 'sold elsewhere' }))!.status).toBe('archived');
    const relist = await partner.gql(RELIST, { id: created.id });
    expect(relist.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_TRANSITION', from: 'archived' });
    const update = await partner.gql(UPDATE, { id: created.id, input: { price: '1.00' } });
    expect(update.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'LISTING_ARCHIVED' });
    const log = (await read(created.id)).activity.nodes.map((n: { activityType: string; reason: string | null }) => [
      n.activityType,
      n.reason,
    ]);
    expect(log).toEqual([
      ['property.archived', 'sold elsewhere'],
      ['property.relisted', null],
      ['property.unlisted', 'repairs'],
      ['property.created', null],
    ]);
  });

  it('refuses residents and staff (FORBIDDEN) and another tenant (NOT_FOUND); nothing changes', async () => {
    const created = await create();
    for (const mutation of [UNLIST, ARCHIVE]) {
      for (const who of [resident, staff]) expect(codes(await who.gql(mutation, { id: created.id }))).toEqual(['FORBIDDEN']);
      expect(codes(await outsider.gql(mutation, { id: created.id }))).toEqual(['NOT_FOUND']);
    }
    expect(codes(await partner.gql(UNLIST, { id: created.id, reason: 'x'.repeat(1001) }))).toEqual(['BAD_USER_INPUT']);
    expect((await read(created.id)).status).toBe('available');
  });
});

describe('setPropertyMedia', () => {
  it('stores the media in order with one primary, and replaces them', async () => {
    const created = await create();
    const media = [
      { mediaType: 'image', url: 'https://img.example.org/front.jpg' },
      { mediaType: 'video', url: 'https://video.example.org/tour.mp4', isPrimary: true },
      { mediaType: 'model_3d', url: 'https://3d.example.org/unit.glb' },
    ];
    const set = changeOf(await partner.gql(MEDIA, { id: created.id, media }))!.property!;
    expect(set.media).toEqual([
      { mediaType: 'image', url: media[0]!.url, isPrimary: false, position: 0 },
      { mediaType: 'video', url: media[1]!.url, isPrimary: true, position: 1 },
      { mediaType: 'model_3d', url: media[2]!.url, isPrimary: false, position: 2 },
    ]);
    expect(set.primaryMedia).toEqual({ url: media[1]!.url });
    const replaced = changeOf(await partner.gql(MEDIA, { id: created.id, media: [media[2]] }))!.property!;
    expect(replaced.media).toEqual([{ mediaType: 'model_3d', url: media[2]!.url, isPrimary: true, position: 0 }]);
  });

  it('refuses two primaries, bad URLs, more than 20; residents, staff and other tenants; nothing changes', async () => {
    const created = await create();
    const one = [{ mediaType: 'image', url: 'https://img.example.org/a.jpg' }];
    expect(changeOf(await partner.gql(MEDIA, { id: created.id, media: one }))).not.toBeNull();
    const bad = [
      [
        { mediaType: 'image', url: 'https://a.example.org/1.jpg', isPrimary: true },
        { mediaType: 'image', url: 'https://a.example.org/2.jpg', isPrimary: true },
      ],
      [{ mediaType: 'image', url: 'javascript:alert(1)' }],
      Array.from({ length: 21 }, (_, i) => ({ mediaType: 'image', url: `https://a.example.org/${i}.jpg` })),
    ];
    for (const media of bad) expect(codes(await partner.gql(MEDIA, { id: created.id, media }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await partner.gql(MEDIA, { id: created.id, media: [{ mediaType: 'hologram', url: 'https://a.example.org' }] }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    for (const who of [resident, staff]) expect(codes(await who.gql(MEDIA, { id: created.id, media: [] }))).toEqual(['FORBIDDEN']);
    expect(codes(await outsider.gql(MEDIA, { id: created.id, media: [] }))).toEqual(['NOT_FOUND']);
    expect((await read(created.id)).media).toEqual([{ url: one[0]!.url, isPrimary: true, position: 0 }]);
  });
});
