import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codes } from './support/client.ts';
import { eventually } from './support/webhook-receiver.ts';
import { seed, type SeededPerson, type SeededTenant, type SignedIn } from './support/seed.ts';

// Digital assets through the gateway: mint (a `mint` transaction in Postgres, the document in the
// Mongo stand-in), list and filter, list/price by the holder, User.assets; the mint's crash points.

const MINT = `mutation($input: MintDigitalAssetInput!) { mintDigitalAsset(input: $input) {
  assetId transactionId status replayed
  transaction { transactionType itemType status seller { id } buyer { id } }
  asset { id name assetType owner { id } creator { id } isListed listingPrice listingCurrency
    metadata { imageUrl attributes { traitType value } } blockchainData { contractAddress tokenId blockchain tokenStandard } } } }`;
const LISTING = `mutation($id: UUID!, $input: DigitalAssetListingInput!) { updateDigitalAssetListing(id: $id, input: $input) {
  assetId isListed asset { isListed listingPrice listingCurrency } } }`;
const LIST = `query($filter: DigitalAssetFilter, $first: Int, $after: String) { digitalAssets(filter: $filter, first: $first, after: $after) {
  nodes { id listingPrice } pageInfo { hasNextPage endCursor } } }`;

type Mint = {
  assetId: string;
  transactionId: string;
  status: string;
  replayed: boolean;
  transaction: Record<string, unknown>;
  asset: Record<string, unknown> | null;
};

let tenant: SeededTenant;
let partner: SignedIn, resident: SignedIn, staff: SignedIn, outsider: SignedIn, otherResident: SignedIn;
let partnerP: SeededPerson, residentP: SeededPerson, outsiderP: SeededPerson;
let db: pg.Client;
let mongo: MongoClient;
const docs = () =>
  mongo
    .db('pathway_market')
    .collection<{ _id: string; ownerId: string; mintTransactionId?: string; listingPriceKey?: string }>('digital_assets');
const rowsWithKey = async (key: string) =>
  (await db.query('SELECT count(*)::int AS n FROM market.transactions WHERE idempotency_key = $1', [key])).rows[0].n as number;

const badge = (key: string, over: Record<string, unknown> = {}) => ({
  input: {
    idempotencyKey: key,
    name: 'Forklift Safety Certificate',
    description: 'Completed the 40-hour forklift course.',
    assetType: 'badge',
    ownerId: residentP.id,
    metadata: {
      imageUrl: 'https://badges.example.org/forklift.png',
      attributes: [
        { traitType: 'issuer', value: 'Lakeshore Workforce Partners' },
        { traitType: 'hours', value: 40 },
      ],
    },
    blockchainData: {
      contractAddress: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
      tokenId: '41',
      blockchain: 'ethereum',
      tokenStandard: 'ERC-721',
    },
    ...over,
  },
});
const mint = async (who: SignedIn, vars: ReturnType<typeof badge>) =>
  (await who.gql<{ mintDigitalAsset: Mint }>(MINT, vars)).data?.mintDigitalAsset ?? null;

beforeAll(async () => {
  tenant = await seed.tenant();
  const o = await seed.tenant();
  const [f, of] = await Promise.all([tenant.facility(), o.facility()]);
  [partnerP, residentP, outsiderP] = await Promise.all([tenant.person('partner', f.id), f.resident(), of.resident()]);
  [partner, resident, staff, outsider, otherResident] = await Promise.all([
    partnerP.api(),
    residentP.api(),
    f.staff().then((p) => p.api()),
    of.facilityAdmin().then((p) => p.api()),
    f.resident().then((p) => p.api()),
  ]);
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
  mongo = await MongoClient.connect(inject('mongoUrl'));
}, 120_000);
afterAll(async () => {
  await db.end();
  await mongo.close();
});

describe('mintDigitalAsset (Mongo stand-in)', () => {
  it('a partner mints a badge for a resident: a completed mint transaction and the document with seed 004 shape; a retry mints nothing more', async () => {
    const key = randomUUID();
    const minted = (await mint(partner, badge(key)))!;
    expect(minted).toMatchObject({
      status: 'completed',
      replayed: false,
      transaction: { transactionType: 'mint', itemType: 'asset', status: 'completed', seller: null, buyer: { id: residentP.id } },
      asset: {
        id: minted.assetId,
        name: 'Forklift Safety Certificate',
        assetType: 'badge',
        owner: { id: residentP.id },
        creator: { id: partnerP.id },
        isListed: false,
        metadata: {
          imageUrl: 'https://badges.example.org/forklift.png',
          attributes: [
            { traitType: 'issuer', value: 'Lakeshore Workforce Partners' },
            { traitType: 'hours', value: 40 },
          ],
        },
        blockchainData: { tokenId: '41', blockchain: 'ethereum', tokenStandard: 'ERC-721' },
      },
    });
    expect((await docs().findOne({ _id: minted.assetId }))!.mintTransactionId).toBe(minted.transactionId);
    const again = (await mint(partner, badge(key)))!;
    expect(again).toMatchObject({ assetId: minted.assetId, transactionId: minted.transactionId, status: 'completed', replayed: true });
    expect(await docs().countDocuments({ mintTransactionId: minted.transactionId })).toBe(1);
    const reused = await partner.gql(MINT, badge(key, { name: 'Another badge' }));
    expect(reused.errors?.map((e) => e.extensions?.reason)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    // The holder sees it under User.assets; the minter sees it as its creator.
    const held = await resident.gql<{ me: { assets: { nodes: { id: string }[] } } }>(
      `{ me { assets(filter: { assetType: "badge" }) { nodes { id } } } }`,
    );
    expect(held.data!.me.assets.nodes.map((n) => n.id)).toContain(minted.assetId);
  });

  it('20 concurrent submissions of one key mint one asset', async () => {
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 20 }, () => mint(partner, badge(key))));
    expect(new Set(answers.map((a) => a!.assetId)).size).toBe(1);
    expect(answers.every((a) => a!.status === 'completed')).toBe(true);
    expect(await rowsWithKey(key)).toBe(1);
    expect(await docs().countDocuments({ _id: answers[0]!.assetId })).toBe(1);
  });

  it('refuses residents and staff (no market.asset.create), and anonymous callers; nothing is written', async () => {
    for (const who of [resident, staff]) {
      const key = randomUUID();
      expect(codes(await who.gql(MINT, badge(key)))).toEqual(['FORBIDDEN']);
      expect(await rowsWithKey(key)).toBe(0);
    }
  });

  it('refuses bad input and holders it may not name, writing nothing in either store', async () => {
    const before = await docs().countDocuments({});
    const cases: [Record<string, unknown>, string][] = [
      [{ assetType: 'Virtual Land' }, 'BAD_USER_INPUT'],
      [{ name: ' ' }, 'BAD_USER_INPUT'],
      [{ metadata: { imageUrl: 'ftp://badges.example.org/x.png' } }, 'BAD_USER_INPUT'],
      [{ metadata: { attributes: [{ traitType: '', value: 1 }] } }, 'BAD_USER_INPUT'],
      [{ blockchainData: { contractAddress: 'not an address!' } }, 'BAD_USER_INPUT'],
      [{ isListed: true }, 'BAD_USER_INPUT'],
      [{ isListed: true, listingPrice: '-1.00', listingCurrency: 'USD' }, 'BAD_USER_INPUT'],
      [{ isListed: true, listingPrice: '1.000000001', listingCurrency: 'USD' }, 'BAD_USER_INPUT'],
      [{ listingPrice: '5.00' }, 'BAD_USER_INPUT'],
      [{ ownerId: 'nope' }, 'BAD_USER_INPUT'],
      [{ ownerId: randomUUID() }, 'NOT_FOUND'],
      [{ ownerId: outsiderP.id }, 'NOT_FOUND'],
    ];
    for (const [over, code] of cases) {
      const key = randomUUID();
      expect([over, codes(await partner.gql(MINT, badge(key, over)))]).toEqual([over, [code]]);
      expect(await rowsWithKey(key)).toBe(0);
    }
    expect(await docs().countDocuments({})).toBe(before);
  });

  describe('crash points between the stores (state rewound, then resumed)', () => {
    /** A completed mint, then the stores put back as a crash at `point` would have left them. */
    async function crashedAt(point: 'after-postgres' | 'after-mongo') {
      const vars = badge(randomUUID());
      const minted = (await mint(partner, vars))!;
      await db.query(`UPDATE market.transactions SET status = 'pending', completed_at = NULL WHERE id = $1`, [minted.transactionId]);
      if (point === 'after-postgres') await docs().deleteOne({ _id: minted.assetId });
      return { ...minted, vars };
    }
    const statusOf = async (id: string) => (await db.query('SELECT status FROM market.transactions WHERE id = $1', [id])).rows[0].status;

    it('after the Postgres row, before MongoDB: a retry of the key stores the asset once and completes', async () => {
      const { assetId, transactionId, vars } = await crashedAt('after-postgres');
      expect(await mint(partner, vars)).toMatchObject({
        assetId,
        transactionId,
        status: 'completed',
        replayed: true,
        asset: { id: assetId },
      });
      expect(await docs().countDocuments({ _id: assetId })).toBe(1);
    });

    it('after MongoDB, before completing: the job completes it; after Postgres with no retry: the job fails it and no asset appears', async () => {
      const stored = await crashedAt('after-mongo');
      const lost = await crashedAt('after-postgres');
      await db.query(`UPDATE market.transactions SET created_at = now() - interval '2 minutes' WHERE id = ANY($1::uuid[])`, [
        [stored.transactionId, lost.transactionId],
      ]);
      await eventually(
        async () => (await statusOf(stored.transactionId)) === 'completed' && (await statusOf(lost.transactionId)) === 'failed',
        'the reconciliation job',
        40_000,
      );
      expect(await docs().countDocuments({ _id: stored.assetId })).toBe(1);
      expect(await docs().countDocuments({ _id: lost.assetId })).toBe(0);
      // A retry of the failed key answers the failure; it does not store the asset after the fact.
      expect(await mint(partner, lost.vars)).toMatchObject({ status: 'failed', replayed: true, asset: null });
      expect(await docs().countDocuments({ _id: lost.assetId })).toBe(0);
    }, 60_000);
  });
});

describe('listing, pricing and filtering digital assets (Mongo stand-in)', () => {
  it('the holder lists and re-prices; listed assets filter by type, owner, price and currency, page by page', async () => {
    const type = `token_${randomUUID().slice(0, 8)}`;
    const ids: string[] = [];
    for (const price of ['5.00', '12.50', '100.00', '1000.00']) {
      const minted = (await mint(
        partner,
        badge(randomUUID(), { assetType: type, ownerId: null, isListed: true, listingPrice: price, listingCurrency: 'USD' }),
      ))!;
      ids.push(minted.assetId);
    }
    const unlisted = (await mint(partner, badge(randomUUID(), { assetType: type, ownerId: null })))!.assetId;
    const list = async (filter: Record<string, unknown>, first = 10, after?: string) =>
      (
        await otherResident.gql<{
          digitalAssets: { nodes: { id: string; listingPrice: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
        }>(LIST, { filter: { assetType: type, ...filter }, first, after })
      ).data!.digitalAssets;
    // Another resident sees the listed ones only (the catalog), and ranges compare as decimals, not text ("100" > "12.5").
    expect((await list({})).nodes.map((n) => n.id).sort()).toEqual([...ids].sort());
    expect((await list({ minPrice: '12.5', maxPrice: '100' })).nodes.map((n) => n.listingPrice).sort()).toEqual(['100.00', '12.50']);
    expect((await list({ minPrice: '100.00000001' })).nodes.map((n) => n.listingPrice)).toEqual(['1000.00']);
    expect((await list({ listingCurrency: 'ETH' })).nodes).toEqual([]);
    expect((await list({ ownerId: partnerP.id, isListed: true })).nodes).toHaveLength(4);
    const first = await list({}, 3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await list({}, 3, first.pageInfo.endCursor);
    expect(second.nodes).toHaveLength(1);
    expect(new Set([...first.nodes, ...second.nodes].map((n) => n.id)).size).toBe(4);
    // The holder sees their unlisted one too; lists it at a price, then re-prices and unlists.
    expect(
      (await partner.gql<{ digitalAssets: { nodes: unknown[] } }>(LIST, { filter: { assetType: type } })).data!.digitalAssets.nodes,
    ).toHaveLength(5);
    const listed = await partner.gql<{ updateDigitalAssetListing: Record<string, unknown> }>(LISTING, {
      id: unlisted,
      input: { isListed: true, listingPrice: '0.25', listingCurrency: 'ETH' },
    });
    expect(listed.data!.updateDigitalAssetListing).toEqual({
      assetId: unlisted,
      isListed: true,
      asset: { isListed: true, listingPrice: '0.25', listingCurrency: 'ETH' },
    });
    expect((await list({ listingCurrency: 'ETH', maxPrice: '0.25' })).nodes.map((n) => n.id)).toEqual([unlisted]);
    await partner.gql(LISTING, { id: unlisted, input: { isListed: true, listingPrice: '0.30', listingCurrency: 'ETH' } });
    expect((await list({ listingCurrency: 'ETH', maxPrice: '0.25' })).nodes).toEqual([]);
    await partner.gql(LISTING, { id: unlisted, input: { isListed: false } });
    expect((await list({ listingCurrency: 'ETH' })).nodes).toEqual([]);
    const { rows } = await db.query(`SELECT activity_type FROM market.activity_logs WHERE entity_id = $1 ORDER BY created_at`, [unlisted]);
    expect(rows.map((r) => r.activity_type)).toEqual(['asset.listed', 'asset.repriced', 'asset.unlisted']);
  });

  it('refuses people who do not hold the asset, bad prices and filters; nothing changes', async () => {
    const assetId = (await mint(
      partner,
      badge(randomUUID(), { ownerId: null, isListed: true, listingPrice: '9.00', listingCurrency: 'USD' }),
    ))!.assetId;
    const reprice = { id: assetId, input: { isListed: true, listingPrice: '1.00', listingCurrency: 'USD' } };
    expect(codes(await otherResident.gql(LISTING, reprice))).toEqual(['FORBIDDEN']);
    expect(codes(await staff.gql(LISTING, reprice))).toEqual(['FORBIDDEN']);
    expect(codes(await outsider.gql(LISTING, reprice))).toEqual(['NOT_FOUND']);
    for (const input of [
      { isListed: true },
      { isListed: true, listingPrice: '-1', listingCurrency: 'USD' },
      { isListed: true, listingPrice: '1', listingCurrency: 'usd' },
    ])
      expect(codes(await partner.gql(LISTING, { id: assetId, input }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await partner.gql(LISTING, { id: 'nope', input: reprice.input }))).toEqual(['BAD_USER_INPUT']);
    const same = await partner.gql(LISTING, { id: assetId, input: { isListed: true, listingPrice: '9.00', listingCurrency: 'USD' } });
    expect(same.errors?.map((e) => e.extensions?.reason)).toEqual(['ALREADY_IN_STATE']);
    expect((await docs().findOne({ _id: assetId }))!.listingPriceKey).toBe('0000000009.00000000');
    for (const filter of [{ minPrice: '-1' }, { minPrice: '5', maxPrice: '4' }, { maxPrice: '1.123456789' }])
      expect(codes(await partner.gql(LIST, { filter }))).toEqual(['BAD_USER_INPUT']);
  });
});
