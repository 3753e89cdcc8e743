import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codes } from './support/client.ts';
import { eventually } from './support/webhook-receiver.ts';
import { seed, type SeededPerson, type SeededTenant, type SignedIn } from './support/seed.ts';

// Transactions through the gateway: listing sales and leases, digital asset transfers and sales
// (asset documents in the Mongo stand-in), idempotency keys (also under concurrency), who sees the
// money, and the crash points between Postgres and MongoDB (state rewound to each, then resumed).

const TX = `transactionId status replayed transaction { id status transactionType itemType amount currency paymentReference sellerWallet buyerWallet
  failureReason seller { id } buyer { id } }`;
const START_P = `mutation($input: StartPropertyTransactionInput!) { startPropertyTransaction(input: $input) { ${TX} } }`;
const START_A = `mutation($input: StartAssetTransactionInput!) { startAssetTransaction(input: $input) { ${TX} } }`;
const COMPLETE = `mutation($id: UUID!, $ref: String) { completeTransaction(id: $id, paymentReference: $ref) { ${TX} } }`;
const FAIL = `mutation($id: UUID!, $reason: String!) { failTransaction(id: $id, reason: $reason) { ${TX} } }`;
const READ = `query($id: UUID!) { transaction(id: $id) { id status amount paymentReference buyerWallet } }`;
const ASSET = `query($id: UUID!) { digitalAsset(id: $id) { owner { id } transactions { nodes { id status } } } }`;

type Tx = { id: string; status: string; amount: string | null; failureReason: string | null; [k: string]: unknown };
type Change = { transactionId: string; status: string; replayed: boolean; transaction: Tx | null };
const changeOf = (res: { data?: Record<string, unknown> | null }) => Object.values(res.data ?? {})[0] as Change | null;

let tenant: SeededTenant;
let seller: SignedIn, buyer: SignedIn, other: SignedIn, staff: SignedIn, admin: SignedIn, manager: SignedIn, outsider: SignedIn;
let sellerP: SeededPerson, buyerP: SeededPerson, otherP: SeededPerson;
let db: pg.Client;
let mongo: MongoClient;

async function listing() {
  const res = await seller.gql<{ createProperty: { propertyId: string } }>(
    'mutation($input: CreatePropertyInput!) { createProperty(input: $input) { propertyId } }',
    { input: { propertyType: 'apartment', address: { line1: '5 Deal St', city: 'Chicago', country: 'US' }, price: '650.00' } },
  );
  return res.data!.createProperty.propertyId;
}
const lease = (propertyId: string, key: string, over: Record<string, unknown> = {}) => ({
  input: { idempotencyKey: key, propertyId, transactionType: 'lease', amount: '650.00', paymentMethod: 'voucher', ...over },
});
const assets = () =>
  mongo.db('pathway_market').collection<{ _id: string; ownerId: string; transfers?: { transactionId?: string }[] }>('digital_assets');
const entriesOf = async (assetId: string, transactionId: string) =>
  ((await assets().findOne({ _id: assetId }))?.transfers ?? []).filter((t) => t.transactionId === transactionId).length;

beforeAll(async () => {
  tenant = await seed.tenant();
  const o = await seed.tenant();
  const [f, of] = await Promise.all([tenant.facility(), o.facility()]);
  [sellerP, buyerP, otherP] = await Promise.all([tenant.person('partner', f.id), f.resident(), f.resident()]);
  [seller, buyer, other, staff, admin, manager, outsider] = await Promise.all([
    sellerP.api(),
    buyerP.api(),
    otherP.api(),
    f.staff().then((p) => p.api()),
    f.facilityAdmin().then((p) => p.api()),
    tenant.person('partner', f.id).then((p) => p.api()),
    of.facilityAdmin().then((p) => p.api()),
  ]);
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
  mongo = await MongoClient.connect(inject('mongoUrl'));
}, 120_000);
afterAll(async () => {
  await db.end();
  await mongo.close();
});

describe('listing transactions', () => {
  it('a lease is pending until the owner completes it; the listing is then reserved', async () => {
    const propertyId = await listing();
    const started = changeOf(await buyer.gql(START_P, lease(propertyId, randomUUID())))!;
    expect(started).toMatchObject({
      status: 'pending',
      replayed: false,
      transaction: { amount: '650.00', currency: 'USD', buyer: { id: buyerP.id } },
    });
    const done = changeOf(await seller.gql(COMPLETE, { id: started.transactionId, ref: 'VOUCHER-7731' }))!;
    expect(done.transaction).toMatchObject({ status: 'completed', paymentReference: 'VOUCHER-7731', seller: { id: sellerP.id } });
    const after = await admin.gql<{ property: { status: string; transactions: { nodes: { id: string }[] } } }>(
      'query($id: UUID!) { property(id: $id) { status transactions { nodes { id } } } }',
      { id: propertyId },
    );
    expect(after.data!.property).toEqual({ status: 'reserved', transactions: { nodes: [{ id: started.transactionId }] } });
    const mine = await buyer.gql<{ me: { transactions: { nodes: { id: string }[] } } }>('{ me { transactions { nodes { id } } } }');
    expect(mine.data!.me.transactions.nodes).toContainEqual({ id: started.transactionId });
    const again = await seller.gql(COMPLETE, { id: started.transactionId });
    expect(again.errors?.map((e) => e.extensions?.reason)).toEqual(['ALREADY_IN_STATE']);
    expect(codes(await buyer.gql(FAIL, { id: started.transactionId, reason: 'x' }))).toEqual(['CONFLICT']);
  });

  it('the same key and input happens once, also 20 at a time; another input under the key is IDEMPOTENCY_KEY_REUSED', async () => {
    const propertyId = await listing();
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 20 }, () => buyer.gql(START_P, lease(propertyId, key))));
    expect(answers.map((a) => a.errors)).toEqual(Array(20).fill(undefined));
    const ids = new Set(answers.map((a) => changeOf(a)!.transactionId));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => !changeOf(a)!.replayed)).toHaveLength(1);
    const replay = changeOf(await buyer.gql(START_P, lease(propertyId, key)))!;
    expect(replay).toMatchObject({ transactionId: [...ids][0], replayed: true });
    const reused = await buyer.gql(START_P, lease(propertyId, key, { amount: '600.00' }));
    expect(reused.errors?.map((e) => [e.extensions?.code, e.extensions?.reason])).toEqual([['CONFLICT', 'IDEMPOTENCY_KEY_REUSED']]);
    const { rows } = await db.query('SELECT count(*)::int AS n FROM market.transactions WHERE property_id = $1', [propertyId]);
    expect(rows[0].n).toBe(1);
  }, 60_000);

  it('refuses staff and the seller on the buying side, bad input, unknown and other tenants’ listings; nothing is written', async () => {
    const propertyId = await listing();
    expect(codes(await staff.gql(START_P, lease(propertyId, randomUUID())))).toEqual(['FORBIDDEN']);
    expect(codes(await seller.gql(START_P, lease(propertyId, randomUUID())))).toEqual(['BAD_USER_INPUT']);
    for (const over of [
      { amount: '-1.00' },
      { amount: '1.001' },
      { amount: 5 },
      { currency: 'usd' },
      { transactionType: 'mint' },
      { idempotencyKey: ' ' },
    ])
      expect(codes(await buyer.gql(START_P, lease(propertyId, randomUUID(), over)))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await buyer.gql(START_P, lease('00000000-0000-4000-8000-000000000000', randomUUID())))).toEqual(['NOT_FOUND']);
    expect(codes(await outsider.gql(START_P, lease(propertyId, randomUUID())))).toEqual(['NOT_FOUND']);
    const { rows } = await db.query('SELECT count(*)::int AS n FROM market.transactions WHERE property_id = $1', [propertyId]);
    expect(rows[0].n).toBe(0);
  });

  it('refuses completing by the buyer or staff, failing by others; shows the money only to the parties and administrators', async () => {
    const propertyId = await listing();
    const id = changeOf(await buyer.gql(START_P, lease(propertyId, randomUUID())))!.transactionId;
    expect(codes(await buyer.gql(COMPLETE, { id }))).toEqual(['FORBIDDEN']);
    for (const who of [staff, other, outsider]) {
      expect(codes(await who.gql(COMPLETE, { id }))).toEqual(['NOT_FOUND']);
      expect(codes(await who.gql(FAIL, { id, reason: 'no' }))).toEqual(['NOT_FOUND']);
    }
    expect(codes(await buyer.gql(FAIL, { id, reason: ' ' }))).toEqual(['BAD_USER_INPUT']);
    for (const who of [buyer, seller, admin])
      expect((await who.gql<{ transaction: Tx }>(READ, { id })).data!.transaction.amount).toBe('650.00');
    // Another partner manages listings: sees the transaction, not its money (a denied field stays local).
    const managed = await manager.gql<{ transaction: Tx }>(READ, { id });
    expect(managed.data!.transaction).toMatchObject({ id, status: 'pending', amount: null, paymentReference: null });
    expect(managed.errors?.map((e) => [e.path?.at(-1), e.extensions?.code]).sort()).toEqual([
      ['amount', 'FORBIDDEN'],
      ['buyerWallet', 'FORBIDDEN'],
      ['paymentReference', 'FORBIDDEN'],
    ]);
    expect((await other.gql<{ transaction: unknown }>(READ, { id })).data!.transaction).toBeNull();
    expect(changeOf(await buyer.gql(FAIL, { id, reason: 'found housing with family' }))!.transaction).toMatchObject({
      status: 'failed',
      failureReason: 'found housing with family',
    });
  });
});

describe('a completed sale', () => {
  it("fails the listing's other pending transactions, with a reason and an activity line; they can no longer complete", async () => {
    const propertyId = await listing();
    const sale = (key: string) => lease(propertyId, key, { transactionType: 'sale', amount: '90000.00' });
    const mine = changeOf(await buyer.gql(START_P, sale(randomUUID())))!.transactionId;
    const theirs = changeOf(await other.gql(START_P, sale(randomUUID())))!.transactionId;
    const theirLease = changeOf(await other.gql(START_P, lease(propertyId, randomUUID())))!.transactionId;
    expect(changeOf(await seller.gql(COMPLETE, { id: mine }))!.status).toBe('completed');
    const { rows } = await db.query('SELECT id, status, failure_reason FROM market.transactions WHERE id = ANY($1::uuid[]) ORDER BY id', [
      [theirs, theirLease],
    ]);
    expect(rows.map((r) => [r.status, r.failure_reason])).toEqual([
      ['failed', 'The listing was sold in another transaction.'],
      ['failed', 'The listing was sold in another transaction.'],
    ]);
    const log = await db.query(
      `SELECT count(*)::int AS n FROM market.activity_logs WHERE entity_id = $1 AND activity_type = 'transaction.failed'`,
      [theirs],
    );
    expect(log.rows[0].n).toBe(1);
    const again = await seller.gql(COMPLETE, { id: theirs });
    expect(again.errors?.map((e) => e.extensions?.reason)).toEqual(['INVALID_TRANSITION']);
  });
});

describe('digital asset transactions (Mongo stand-in)', () => {
  const sale = (assetId: string, key: string, over: Record<string, unknown> = {}) => ({
    input: {
      idempotencyKey: key,
      assetId,
      transactionType: 'sale',
      toUserId: otherP.id,
      amount: '0.05000000',
      currency: 'ETH',
      sellerWallet: '0xSELLER01',
      buyerWallet: '0xBUYER001',
      ...over,
    },
  });

  it('a sale by the holder moves the asset and completes at once; a retry of the key does nothing again', async () => {
    const assetId = await tenant.asset(buyerP);
    const key = randomUUID();
    const done = changeOf(await buyer.gql(START_A, sale(assetId, key)))!;
    expect(done).toMatchObject({
      status: 'completed',
      replayed: false,
      transaction: { amount: '0.05', currency: 'ETH', buyerWallet: '0xBUYER001' },
    });
    const replay = changeOf(await buyer.gql(START_A, sale(assetId, key)))!;
    expect(replay).toMatchObject({ transactionId: done.transactionId, status: 'completed', replayed: true });
    expect(await entriesOf(assetId, done.transactionId)).toBe(1);
    const seen = await other.gql<{ digitalAsset: { owner: { id: string }; transactions: { nodes: { id: string }[] } } }>(ASSET, {
      id: assetId,
    });
    expect(seen.data!.digitalAsset).toEqual({
      owner: { id: otherP.id },
      transactions: { nodes: [{ id: done.transactionId, status: 'completed' }] },
    });
    const reused = await buyer.gql(START_A, sale(assetId, key, { amount: '1.0' }));
    expect(reused.errors?.map((e) => e.extensions?.reason)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
  });

  it('refuses people who do not hold it, bad wallets and a sale without an amount; nothing moves', async () => {
    const assetId = await tenant.asset(buyerP, { listed: true });
    expect(codes(await other.gql(START_A, sale(assetId, randomUUID(), { toUserId: otherP.id })))).toEqual(['FORBIDDEN']);
    expect(codes(await staff.gql(START_A, sale(assetId, randomUUID())))).toEqual(['FORBIDDEN']);
    expect(codes(await outsider.gql(START_A, sale(assetId, randomUUID())))).toEqual(['NOT_FOUND']);
    for (const over of [
      { buyerWallet: 'not a wallet!' },
      { amount: null, currency: null },
      { amount: '0.000000001' },
      { toUserId: 'nope' },
      { transactionType: 'lease' },
    ])
      expect(codes(await buyer.gql(START_A, sale(assetId, randomUUID(), over)))).toEqual(['BAD_USER_INPUT']);
    expect((await assets().findOne({ _id: assetId }))!.ownerId).toBe(buyerP.id);
    const { rows } = await db.query('SELECT count(*)::int AS n FROM market.transactions WHERE asset_id = $1', [assetId]);
    expect(rows[0].n).toBe(0);
  });

  describe('crash points between the stores (state rewound, then resumed)', () => {
    /** A completed transfer, then the stores put back as a crash at `point` would have left them. */
    async function crashedAt(point: 'after-postgres' | 'after-mongo' | 'moved-elsewhere') {
      const assetId = await tenant.asset(buyerP);
      const key = randomUUID();
      const input = sale(assetId, key, { transactionType: 'transfer', amount: null, currency: null });
      const { transactionId } = changeOf(await buyer.gql(START_A, input))!;
      await db.query(`UPDATE market.transactions SET status = 'pending', completed_at = NULL WHERE id = $1`, [transactionId]);
      if (point !== 'after-mongo')
        await assets().updateOne(
          { _id: assetId },
          { $set: { ownerId: point === 'moved-elsewhere' ? sellerP.id : buyerP.id }, $pull: { transfers: { transactionId } } },
        );
      return { assetId, transactionId, input };
    }

    it('after the Postgres row, before MongoDB: a retry of the key carries it out once', async () => {
      const { assetId, transactionId, input } = await crashedAt('after-postgres');
      const resumed = changeOf(await buyer.gql(START_A, input))!;
      expect(resumed).toMatchObject({ transactionId, status: 'completed', replayed: true });
      expect((await assets().findOne({ _id: assetId }))!.ownerId).toBe(otherP.id);
      expect(await entriesOf(assetId, transactionId)).toBe(1);
    });

    it('after MongoDB, before completing: the retry completes it without moving the asset again', async () => {
      const { assetId, transactionId, input } = await crashedAt('after-mongo');
      expect(changeOf(await buyer.gql(START_A, input))).toMatchObject({ transactionId, status: 'completed' });
      expect(await entriesOf(assetId, transactionId)).toBe(1);
    });

    it('the asset changed hands in between: the transaction fails and the asset stays where it is', async () => {
      const { assetId, transactionId, input } = await crashedAt('moved-elsewhere');
      const resumed = changeOf(await buyer.gql(START_A, input))!;
      expect(resumed.transaction).toMatchObject({ status: 'failed', failureReason: expect.stringContaining('changed hands') });
      expect((await assets().findOne({ _id: assetId }))!.ownerId).toBe(sellerP.id);
      expect(await entriesOf(assetId, transactionId)).toBe(0);
    });

    it('with no retry, the reconciliation job carries out a pending transaction older than a minute', async () => {
      const { assetId, transactionId } = await crashedAt('after-postgres');
      await db.query(`UPDATE market.transactions SET created_at = now() - interval '2 minutes' WHERE id = $1`, [transactionId]);
      await eventually(
        async () =>
          (await db.query('SELECT status FROM market.transactions WHERE id = $1', [transactionId])).rows[0].status === 'completed',
        'the reconciliation job',
        40_000,
      );
      expect((await assets().findOne({ _id: assetId }))!.ownerId).toBe(otherP.id);
      expect(await entriesOf(assetId, transactionId)).toBe(1);
    }, 60_000);
  });
});
