// The gateway's response cache through real HTTP against real Redis: answers subgraphs mark
// cacheable are served from the cache (the `age` header says so) for people of the same scope,
// until an event of that subgraph invalidates them; personal answers are never cached.
// MongoDB here is the project's wire-protocol stand-in (see README), used only to place an asset.
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoId, users } from '../scripts/demo/ids.ts';
import { gql, tokenFor, type GraphQLResponse } from './support/client.ts';
import { seed } from './support/seed.ts';

const LISTINGS = `query($search: String!) { properties(filter: { search: $search }) { nodes { id description } } }`;
type Listings = { properties: { nodes: { id: string }[] } };

const cached = (res: GraphQLResponse<unknown>) => res.headers?.get('age') != null;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks again (bounded) until `done` holds for the answer; returns the last answer. */
async function askUntil<T>(
  ask: () => Promise<GraphQLResponse<T>>,
  done: (res: GraphQLResponse<T>) => boolean,
  tries = 50,
): Promise<GraphQLResponse<T>> {
  let res = await ask();
  for (let i = 1; i < tries && !done(res); i++) {
    await sleep(100);
    res = await ask();
  }
  return res;
}

let db: pg.Client;
let mongo: MongoClient;
// A tenant of this test's own: no other test's event can invalidate its cache mid-check. Its
// facility admin and resident are real people (a transfer's recipient must be someone: identity vouches).
let tenantId: string;
let admin: { userId: string; token: string };
let resident: { userId: string };
const propertyId = randomUUID();
const assetId = randomUUID();
const search = `cache-check-${randomUUID()}`;

beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
  mongo = await MongoClient.connect(inject('mongoUrl'));
  const tenant = await seed.tenant();
  const facility = await tenant.facility();
  const [adminPerson, residentPerson] = await Promise.all([facility.facilityAdmin(), facility.resident()]);
  tenantId = tenant.id;
  admin = { userId: adminPerson.id, token: (await adminPerson.api()).accessToken };
  resident = { userId: residentPerson.id };
});

afterAll(async () => {
  await db.query('DELETE FROM market.properties WHERE id = $1', [propertyId]);
  await mongo
    .db('pathway_market')
    .collection('digital_assets')
    .deleteOne({ _id: assetId as never });
  await db.end();
  await mongo.close();
});

describe('response cache', () => {
  it('serves a listing search from the cache, shared by the same scope only, until a market event of the tenant invalidates it', async () => {
    const token = admin.token;
    const ask = () => gql<Listings>(LISTINGS, { search }, { token });
    expect((await ask()).data!.properties.nodes).toEqual([]);
    const hit = await askUntil(ask, cached);
    expect(cached(hit)).toBe(true);

    // A listing appears behind the API's back (no event): the cached answer stands.
    await db.query(
      `INSERT INTO market.properties (id, tenant_id, owner_id, property_type, address, price, description, updated_at)
       VALUES ($1, $2, $3, 'house', '{}', 1000, $4, now())`,
      [propertyId, tenantId, admin.userId, `A listing for ${search}`],
    );
    const stale = await ask();
    expect(cached(stale)).toBe(true);
    expect(stale.data!.properties.nodes).toEqual([]);
    // Another scope (system reach) has its own entry: it sees the listing at once.
    const sysadmin = await gql<Listings>(LISTINGS, { search }, { token: await tokenFor(users.sysadmin.username) });
    expect(sysadmin.data!.properties.nodes.map((n) => n.id)).toEqual([propertyId]);

    // A real market write in the tenant: an asset of this test's own changes hands.
    await mongo
      .db('pathway_market')
      .collection('digital_assets')
      .insertOne({
        _id: assetId as never,
        tenantId,
        name: 'Cache check token',
        creatorId: admin.userId,
        ownerId: admin.userId,
        assetType: 'badge',
        metadata: { attributes: [] },
        isListed: false,
        createdAt: new Date(),
        updatedAt: new Date(),
      });
    const moved = await gql(
      'mutation($a: UUID!, $to: UUID!) { transferDigitalAsset(assetId: $a, toUserId: $to) { id } }',
      { a: assetId, to: resident.userId },
      { token },
    );
    expect(moved.errors).toBeUndefined();
    const fresh = await askUntil(ask, (res) => res.data?.properties.nodes.length === 1);
    expect(fresh.data!.properties.nodes.map((n) => n.id)).toEqual([propertyId]);
  });

  it('never caches answers that depend on the person: single lookups, owner-only fields, people', async () => {
    const token = await tokenFor(users.riversideAdmin.username);
    const personal = [
      ['query($id: UUID!) { property(id: $id) { id price } }', { id: demoId('f1', 3) }],
      ['{ properties(first: 5) { nodes { id source sourceId } } }', {}],
      ['{ properties(first: 5) { nodes { id owner { id } } } }', {}],
      ['{ me { id username } }', {}],
      ['{ digitalAssets(first: 5) { nodes { id name } } }', {}],
    ] as const;
    for (const [query, variables] of personal) {
      const first = await gql(query, variables, { token });
      expect(first.errors, query).toBeUndefined();
      await sleep(150); // longer than a cache write takes
      for (let i = 0; i < 3; i++) expect(cached(await gql(query, variables, { token })), query).toBe(false);
    }
  });

  it('tells HTTP caches not to store any answer', async () => {
    const res = await gql<Listings>(LISTINGS, { search }, { token: await tokenFor(users.riversideAdmin.username) });
    expect(res.headers?.get('cache-control')).toBe('private, no-store');
  });

  it('refuses @defer with a clear validation error (no incremental delivery on graphql 16)', async () => {
    const res = await gql(
      '{ courses(first: 1) { nodes { id ... @defer { name } } } }',
      {},
      { token: await tokenFor(users.riversideAdmin.username) },
    );
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).toMatch(/defer/);
  });
});
