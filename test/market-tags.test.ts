import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codes } from './support/client.ts';
import { seed, type SeededPerson, type SeededTenant, type SignedIn } from './support/seed.ts';

// Tags through the gateway: the tenant's vocabulary (createTag, tags), tagging and untagging items
// of every kind (listings in Postgres; assets, spaces, business models and projects in the Mongo
// stand-in) by those who may change them, and every market list filtered by tags ("has all").

const CREATE_TAG = `mutation($input: CreateTagInput!) { createTag(input: $input) { tagId tag { id slug name category } } }`;
const TAG = `mutation($input: TagItemInput!) { tagItem(input: $input) { itemType itemId tags { slug } } }`;
const UNTAG = `mutation($input: TagItemInput!) { untagItem(input: $input) { itemType itemId tags { slug } } }`;
const TAGS = `query($filter: TagFilter, $after: String) { tags(filter: $filter, first: 2, after: $after) { nodes { slug } pageInfo { hasNextPage endCursor } } }`;
const PROPERTIES = `query($tags: [String!]) { properties(filter: { tags: $tags }, first: 100) { nodes { id tags { slug } } } }`;
const ASSETS = `query($tags: [String!]) { digitalAssets(filter: { tags: $tags }, first: 100) { nodes { id tags { slug } } } }`;
const SPACES = `query($tags: [String!]) { virtualSpaces(filter: { tags: $tags }, first: 100) { nodes { id tags { slug } } } }`;
const MODELS = `query($tags: [String!]) { businessModels(filter: { tags: $tags }, first: 100) { nodes { id tags { slug } } } }`;
const PROJECTS = `query($tags: [String!]) { businessProjects(filter: { tags: $tags }, first: 100) { nodes { id tags { slug } } } }`;

let tenant: SeededTenant;
let partner: SignedIn, resident: SignedIn, otherResident: SignedIn, staff: SignedIn, analyst: SignedIn, outsider: SignedIn;
let residentP: SeededPerson, otherResidentP: SeededPerson;
let db: pg.Client;
const run = randomUUID().slice(0, 6);
const slug = (s: string) => `${s}-${run}`;

async function newTag(name: string, who = partner) {
  const res = await who.gql<{ createTag: { tagId: string } }>(CREATE_TAG, {
    input: { name, slug: slug(name.toLowerCase()), category: 'reentry' },
  });
  expect(res.errors).toBeUndefined();
  return res.data!.createTag.tagId;
}
const ids = (res: { data?: Record<string, { nodes: { id: string }[] }> | null }) =>
  Object.values(res.data ?? {})[0]!
    .nodes.map((n) => n.id)
    .sort();

beforeAll(async () => {
  tenant = await seed.tenant();
  const [f, of] = await Promise.all([tenant.facility(), (await seed.tenant()).facility()]);
  [residentP, otherResidentP] = await Promise.all([f.resident(), f.resident()]);
  [partner, resident, otherResident, staff, analyst, outsider] = await Promise.all([
    tenant.person('partner', f.id).then((p) => p.api()),
    residentP.api(),
    otherResidentP.api(),
    f.staff().then((p) => p.api()),
    tenant.analyst().then((p) => p.api()),
    of.facilityAdmin().then((p) => p.api()),
  ]);
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
}, 120_000);
afterAll(async () => {
  await db.end();
});

describe('tags', () => {
  it('makes a per-tenant vocabulary: slugs unique in the tenant, made from the name when not given, paged by slug', async () => {
    const made = await staff.gql<{ createTag: { tag: { slug: string; name: string } } }>(CREATE_TAG, {
      input: { name: `Job Ready ${run}!` },
    });
    expect(made.data!.createTag.tag).toMatchObject({ slug: `job-ready-${run}`, name: `Job Ready ${run}!` });
    const again = await partner.gql(CREATE_TAG, { input: { name: 'Other', slug: `job-ready-${run}` } });
    expect(codes(again)).toEqual(['CONFLICT']);
    expect(again.errors![0]!.extensions).toMatchObject({ reason: 'DUPLICATE' });
    // Another tenant may use the same slug: tags are per tenant.
    expect((await outsider.gql(CREATE_TAG, { input: { name: 'Job ready', slug: `job-ready-${run}` } })).errors).toBeUndefined();
    await newTag('Paging-a');
    await newTag('Paging-b');
    const first = await resident.gql<{ tags: { nodes: { slug: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(TAGS, {
      filter: { search: `paging` },
    });
    const pageOne = first.data!.tags;
    expect(pageOne.nodes.map((n) => n.slug)).toEqual([slug('paging-a'), slug('paging-b')]);
    // The outsider's tenant does not see this tenant's tags.
    const theirs = await outsider.gql<{ tags: { nodes: { slug: string }[] } }>(TAGS, { filter: { search: 'paging' } });
    expect(theirs.data!.tags.nodes).toEqual([]);
  });

  it('refuses creating without market.tag.create (residents, analysts) and bad slugs or names; nothing is written', async () => {
    const count = async () =>
      (await db.query(`SELECT count(*)::int AS n FROM market.tags WHERE slug LIKE $1`, [`%refused-${run}%`])).rows[0].n;
    for (const who of [resident, analyst])
      expect(codes(await who.gql(CREATE_TAG, { input: { name: `refused-${run}` } }))).toEqual(['FORBIDDEN']);
    for (const input of [
      { name: '' },
      { name: 'x', slug: `Refused-${run}` },
      { name: 'x', slug: `refused--${run}` },
      { name: 'x', slug: `refused-${run}-${'a'.repeat(60)}` },
      { name: 'x', slug: `refused-${run}`, category: 'Not A Category' },
      { name: '!!!' },
    ])
      expect([input, codes(await partner.gql(CREATE_TAG, { input }))]).toEqual([input, ['BAD_USER_INPUT']]);
    expect(await count()).toBe(0);
  });

  it('tags items of every kind by who may change them, and filters each list by all the tags given', async () => {
    const [housing, sober, spare] = await Promise.all([newTag('Housing'), newTag('Sober'), newTag('Spare')]);
    // A listing (Postgres), a partner's.
    const createListing = `mutation($input: CreatePropertyInput!) { createProperty(input: $input) { propertyId } }`;
    const listing = (n: number) => ({
      input: { propertyType: 'apartment', address: { line1: `${n} Tag St`, city: 'Chicago', country: 'US' }, price: '700.00' },
    });
    const [p1, p2] = await Promise.all(
      [1, 2].map(
        async (n) =>
          (await partner.gql<{ createProperty: { propertyId: string } }>(createListing, listing(n))).data!.createProperty.propertyId,
      ),
    );
    const tagged = await partner.gql<{ tagItem: { tags: { slug: string }[] } }>(TAG, {
      input: { itemType: 'property', itemId: p1, tagId: housing },
    });
    expect(tagged.data!.tagItem.tags.map((t) => t.slug)).toEqual([slug('housing')]);
    await partner.gql(TAG, { input: { itemType: 'property', itemId: p1, tagId: sober } });
    await partner.gql(TAG, { input: { itemType: 'property', itemId: p2, tagId: housing } });
    expect(ids(await resident.gql(PROPERTIES, { tags: [slug('housing')] }))).toEqual([p1, p2].sort());
    expect(ids(await resident.gql(PROPERTIES, { tags: [slug('housing'), slug('sober')] }))).toEqual([p1]);
    expect(ids(await resident.gql(PROPERTIES, { tags: [slug('housing'), slug('spare')] }))).toEqual([]);
    expect(ids(await resident.gql(PROPERTIES, { tags: [`unknown-${run}`] }))).toEqual([]);
    // An asset (Mongo), its holder's.
    const asset = await tenant.asset(residentP, { listed: true });
    await resident.gql(TAG, { input: { itemType: 'asset', itemId: asset, tagId: sober } });
    expect(ids(await partner.gql(ASSETS, { tags: [slug('sober')] }))).toEqual([asset]);
    // A space (Mongo), its owner's.
    const space = (
      await resident.gql<{ createVirtualSpace: { spaceId: string } }>(
        `mutation($input: CreateVirtualSpaceInput!) { createVirtualSpace(input: $input) { spaceId } }`,
        { input: { name: 'Tagged room', spaceType: 'meeting_space', geometryData: { dimensions: { width: 1, height: 1, depth: 1 } } } },
      )
    ).data!.createVirtualSpace.spaceId;
    await resident.gql(TAG, { input: { itemType: 'space', itemId: space, tagId: housing } });
    expect(ids(await resident.gql(SPACES, { tags: [slug('housing')] }))).toEqual([space]);
    // A business model (Mongo), its creator's.
    const model = (
      await partner.gql<{ createBusinessModel: { modelId: string } }>(
        `mutation($input: BusinessModelInput!) { createBusinessModel(input: $input) { modelId } }`,
        { input: { name: 'Tagged model', category: 'cleaning' } },
      )
    ).data!.createBusinessModel.modelId;
    await partner.gql(TAG, { input: { itemType: 'business_model', itemId: model, tagId: spare } });
    expect(ids(await resident.gql(MODELS, { tags: [slug('spare')] }))).toEqual([model]);
    // A project (Mongo), its owner's.
    const project = (
      await resident.gql<{ createBusinessProject: { projectId: string } }>(
        `mutation($input: CreateBusinessProjectInput!) { createBusinessProject(input: $input) { projectId } }`,
        { input: { name: 'Tagged project' } },
      )
    ).data!.createBusinessProject.projectId;
    await resident.gql(TAG, { input: { itemType: 'project', itemId: project, tagId: spare } });
    expect(ids(await resident.gql(PROJECTS, { tags: [slug('spare')] }))).toEqual([project]);
    // Untagging takes it off the filtered list; the references are rows of entity_tags only.
    const untagged = await partner.gql<{ untagItem: { tags: { slug: string }[] } }>(UNTAG, {
      input: { itemType: 'property', itemId: p1, tagId: sober },
    });
    expect(untagged.data!.untagItem.tags.map((t) => t.slug)).toEqual([slug('housing')]);
    expect(ids(await resident.gql(PROPERTIES, { tags: [slug('housing'), slug('sober')] }))).toEqual([]);
    const refs = await db.query(`SELECT entity_type FROM market.entity_tags WHERE tag_id = ANY($1) ORDER BY entity_type::text`, [
      [housing, sober, spare],
    ]);
    expect(refs.rows.map((r) => r.entity_type)).toEqual(['asset', 'business_model', 'project', 'property', 'property', 'space']);
    const log = await db.query(`SELECT activity_type FROM market.activity_logs WHERE entity_id = $1 ORDER BY created_at`, [p1]);
    expect(log.rows.map((r) => r.activity_type)).toEqual(['property.created', 'property.tagged', 'property.tagged', 'property.untagged']);
  });

  it('refuses tagging what you may not change, of another tenant, unknown ids, the wrong kind, doubles and bad filters', async () => {
    const tagId = await newTag('Refusals');
    const asset = await tenant.asset(residentP);
    const listing = (
      await partner.gql<{ createProperty: { propertyId: string } }>(
        `mutation($input: CreatePropertyInput!) { createProperty(input: $input) { propertyId } }`,
        {
          input: { propertyType: 'house', address: { line1: '9 Refuse Rd', city: 'Chicago', country: 'US' }, price: '1.00' },
        },
      )
    ).data!.createProperty.propertyId;
    const before = (await db.query(`SELECT count(*)::int AS n FROM market.entity_tags WHERE tag_id = $1`, [tagId])).rows[0].n;
    // Wrong roles: a resident and staff may see the listing but not change it; another resident does not hold the asset.
    expect(codes(await resident.gql(TAG, { input: { itemType: 'property', itemId: listing, tagId } }))).toEqual(['FORBIDDEN']);
    expect(codes(await staff.gql(TAG, { input: { itemType: 'property', itemId: listing, tagId } }))).toEqual(['FORBIDDEN']);
    expect(codes(await otherResident.gql(TAG, { input: { itemType: 'asset', itemId: asset, tagId } }))).toEqual(['NOT_FOUND']);
    // Another tenant's administrator: the listing is nothing to them.
    expect(codes(await outsider.gql(TAG, { input: { itemType: 'property', itemId: listing, tagId } }))).toEqual(['NOT_FOUND']);
    // Unknown ids, the wrong kind (a listing's id named as an asset), a tag of another tenant.
    expect(codes(await partner.gql(TAG, { input: { itemType: 'property', itemId: randomUUID(), tagId } }))).toEqual(['NOT_FOUND']);
    expect(codes(await partner.gql(TAG, { input: { itemType: 'asset', itemId: listing, tagId } }))).toEqual(['NOT_FOUND']);
    expect(codes(await partner.gql(TAG, { input: { itemType: 'property', itemId: listing, tagId: randomUUID() } }))).toEqual(['NOT_FOUND']);
    const foreignTag = (await outsider.gql<{ createTag: { tagId: string } }>(CREATE_TAG, { input: { name: `foreign ${run}` } })).data!
      .createTag.tagId;
    expect(codes(await partner.gql(TAG, { input: { itemType: 'property', itemId: listing, tagId: foreignTag } }))).toEqual(['NOT_FOUND']);
    expect(codes(await partner.gql(TAG, { input: { itemType: 'property', itemId: 'not-a-uuid', tagId } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await partner.gql(TAG, { input: { itemType: 'shoe', itemId: listing, tagId } }))).toEqual(['BAD_USER_INPUT']);
    expect((await db.query(`SELECT count(*)::int AS n FROM market.entity_tags WHERE tag_id = $1`, [tagId])).rows[0].n).toBe(before);
    // Twice: CONFLICT; untagging what is not there: NOT_FOUND.
    expect((await partner.gql(TAG, { input: { itemType: 'property', itemId: listing, tagId } })).errors).toBeUndefined();
    expect(codes(await partner.gql(TAG, { input: { itemType: 'property', itemId: listing, tagId } }))).toEqual(['CONFLICT']);
    expect(codes(await partner.gql(UNTAG, { input: { itemType: 'asset', itemId: asset, tagId } }))).toEqual(['NOT_FOUND']);
    expect(codes(await resident.gql(UNTAG, { input: { itemType: 'property', itemId: listing, tagId } }))).toEqual(['FORBIDDEN']);
    // Filters: not slugs, too many.
    expect(codes(await resident.gql(PROPERTIES, { tags: ['Not A Slug'] }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await resident.gql(ASSETS, { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }))).toEqual(['BAD_USER_INPUT']);
  });
});
