import { randomUUID } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EVENT_STREAM, connectRedis, type Identity, type PendingEvent, type Redis } from '@pathway/kit';
import {
  ASSETS_COLLECTION,
  assetsOfOwners,
  findAssetsByIds,
  listAssets,
  applyTransfer,
  type AssetDocument,
} from '../subgraphs/market/src/data/assets.ts';
import { tenants, users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';

// Market's digital assets live in MongoDB, with no transaction spanning an outbox: a transfer stores
// its event on the asset in the same atomic update (`pendingEvents`), and market's relay publishes it
// and pulls it. Each test works on an asset of its own, so concurrent test files moving demo assets
// don't disturb the counts.
const TRANSFER = `mutation($assetId: UUID!, $to: UUID!) { transferDigitalAsset(assetId: $assetId, toUserId: $to) { id owner { id } } }`;
const TRANSFERRED = 'market.asset.transferred';

let mongo: MongoClient;
let market: Db;
let redis: Redis;
let streamStart: string;
beforeAll(async () => {
  mongo = new MongoClient(inject('mongoUrl'));
  await mongo.connect();
  market = mongo.db('pathway_market');
  redis = connectRedis(inject('redisUrl'), 'market-asset-events-test');
  const [last] = (await redis.xrevrange(EVENT_STREAM, '+', '-', 'COUNT', 1)) as [string, string[]][];
  streamStart = last?.[0] ?? '0-0';
});
afterAll(async () => {
  await mongo.close();
  redis.disconnect();
});

const assets = (db: Db) => db.collection<AssetDocument>(ASSETS_COLLECTION);

/** A fresh unlisted badge of resident Lee (Lakeshore). */
async function newAsset(db: Db, extra: Partial<AssetDocument> = {}): Promise<string> {
  const id = randomUUID();
  const now = new Date();
  await assets(db).insertOne({
    _id: id,
    tenantId: tenants.lakeshore,
    name: `Outbox badge ${id.slice(0, 8)}`,
    creatorId: users.deptAdmin.id,
    ownerId: users.residentLee.id,
    assetType: 'badge',
    isListed: false,
    createdAt: now,
    updatedAt: now,
    ...extra,
  });
  return id;
}

/** The events on the stream (since this file started) about `entityId`, oldest first. */
async function eventsAbout(entityId: string): Promise<Record<string, unknown>[]> {
  const entries = (await redis.xrange(EVENT_STREAM, `(${streamStart}`, '+')) as [string, string[]][];
  return entries.map(([, fields]) => JSON.parse(fields[1]!) as Record<string, unknown>).filter((event) => event.entityId === entityId);
}

const pendingOn = async (db: Db, id: string) => (await assets(db).findOne({ _id: id }))?.pendingEvents ?? [];

function pendingEvent(entityId: string, marker: string): PendingEvent {
  return {
    id: randomUUID(),
    at: new Date(),
    event: {
      type: TRANSFERRED,
      tenantId: tenants.lakeshore,
      userId: users.residentGarcia.id,
      entityId,
      payload: { marker },
      source: 'market',
      occurredAt: new Date().toISOString(),
    },
  };
}

async function transfer(assetId: string, to: string, username = users.sysadmin.username) {
  return gql(TRANSFER, { assetId, to }, { token: await tokenFor(username) });
}

describe('market asset transfer events (the document outbox)', () => {
  it('a transfer through the gateway puts exactly one market.asset.transferred on the stream and leaves nothing pending', async () => {
    const asset = await newAsset(market);
    const res = await transfer(asset, users.residentGarcia.id);
    expect(res.errors).toBeUndefined();
    await expect.poll(() => eventsAbout(asset), { timeout: 10_000, interval: 100 }).toHaveLength(1);
    await expect.poll(() => pendingOn(market, asset), { timeout: 5_000, interval: 100 }).toEqual([]);
    // A second transfer of the same asset: once it is on the stream, the first must still be there once.
    expect((await transfer(asset, users.residentLee.id)).errors).toBeUndefined();
    await expect.poll(async () => (await eventsAbout(asset)).length, { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(2);
    const events = await eventsAbout(asset);
    expect(events).toHaveLength(2);
    expect(events.map((e) => [e.type, e.source, e.tenantId, e.userId, e.payload])).toEqual([
      [
        TRANSFERRED,
        'market',
        tenants.lakeshore,
        users.residentGarcia.id,
        { fromOwnerId: users.residentLee.id, toOwnerId: users.residentGarcia.id },
      ],
      [
        TRANSFERRED,
        'market',
        tenants.lakeshore,
        users.residentLee.id,
        { fromOwnerId: users.residentGarcia.id, toOwnerId: users.residentLee.id },
      ],
    ]);
  });

  it('publishes, exactly once and in order, events left pending on a document by a process that crashed before publishing them', async () => {
    const asset = await newAsset(market);
    const [first, second] = [pendingEvent(asset, 'first'), pendingEvent(asset, 'second')];
    await assets(market).updateOne({ _id: asset }, { $push: { pendingEvents: { $each: [first, second] } } });
    await expect.poll(async () => (await eventsAbout(asset)).length, { timeout: 10_000, interval: 100 }).toBe(2);
    await expect.poll(() => pendingOn(market, asset), { timeout: 5_000, interval: 100 }).toEqual([]);
    // A later event of the same asset arrives after them; by then neither was published again.
    const third = pendingEvent(asset, 'third');
    await assets(market).updateOne({ _id: asset }, { $push: { pendingEvents: third } });
    await expect.poll(async () => (await eventsAbout(asset)).length, { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(3);
    expect((await eventsAbout(asset)).map((e) => (e.payload as { marker: string }).marker)).toEqual(['first', 'second', 'third']);
  });

  it('pulls, without publishing it again, a pending event a relay had published before crashing', async () => {
    const asset = await newAsset(market);
    const published = pendingEvent(asset, 'published');
    const later = pendingEvent(asset, 'later');
    // What a relay leaves behind when it dies between XADD and $pull: the guard is set, the entry still there.
    await redis.set(`pathway:outbox:market:${ASSETS_COLLECTION}:${published.id}`, '1', 'EX', 600);
    await assets(market).updateOne({ _id: asset }, { $push: { pendingEvents: { $each: [published, later] } } });
    await expect.poll(() => pendingOn(market, asset), { timeout: 10_000, interval: 100 }).toEqual([]);
    expect((await eventsAbout(asset)).map((e) => (e.payload as { marker: string }).marker)).toEqual(['later']);
  });

  it('a refused transfer emits nothing', async () => {
    const asset = await newAsset(market, { isListed: true });
    // Garcia may see the listed asset but neither holds nor manages it.
    expect(codes(await transfer(asset, users.residentGarcia.id, users.residentGarcia.username))).toEqual(['FORBIDDEN']);
    expect(await pendingOn(market, asset)).toEqual([]);
    // Events are relayed oldest first: once a later transfer's event is on the stream, the refused one would be too.
    expect((await transfer(asset, users.residentKim.id)).errors).toBeUndefined();
    await expect.poll(async () => (await eventsAbout(asset)).length, { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(1);
    expect((await eventsAbout(asset)).map((e) => e.userId)).toEqual([users.residentKim.id]);
  });
});

describe('market asset data functions and pending events (a database no relay reads)', () => {
  let quiet: Db;
  const admin: Identity = {
    userId: users.sysadmin.id,
    tenantId: tenants.lakeshore,
    facilityId: null,
    roles: ['system_admin'],
    permissions: ['market.asset.read'],
  };
  beforeAll(() => {
    quiet = mongo.db(`pathway_market_quiet_${process.pid}`);
  });
  afterAll(() => quiet.dropDatabase());

  it('a transfer whose conditional update matches nothing (the asset changed hands meanwhile) stores no event', async () => {
    const asset = await newAsset(quiet);
    const move = (from: string, transactionId = randomUUID()) => ({
      tenantId: tenants.lakeshore,
      assetId: asset,
      fromOwnerId: from,
      toOwnerId: users.residentGarcia.id,
      transactionId,
      byUserId: admin.userId,
    });
    expect(await applyTransfer(quiet, move(users.residentKim.id), pendingEvent(asset, 'stale'))).toBe(false);
    expect(await pendingOn(quiet, asset)).toEqual([]);
    const event = pendingEvent(asset, 'done');
    const transactionId = randomUUID();
    expect(await applyTransfer(quiet, move(users.residentLee.id, transactionId), event)).toBe(true);
    expect(await pendingOn(quiet, asset)).toEqual([event]);
    // The same transaction applied again (a retry after a crash) changes nothing and stores no second event.
    await assets(quiet).updateOne({ _id: asset }, { $set: { ownerId: users.residentLee.id } });
    expect(await applyTransfer(quiet, move(users.residentLee.id, transactionId), pendingEvent(asset, 'again'))).toBe(false);
    expect(await pendingOn(quiet, asset)).toEqual([event]);
  });

  it('no read returns the pending events', async () => {
    const asset = await newAsset(quiet, { pendingEvents: [pendingEvent(randomUUID(), 'secret')] });
    await applyTransfer(
      quiet,
      {
        tenantId: tenants.lakeshore,
        assetId: asset,
        fromOwnerId: users.residentLee.id,
        toOwnerId: users.residentGarcia.id,
        transactionId: randomUUID(),
        byUserId: admin.userId,
      },
      pendingEvent(asset, 'secret'),
    );
    const [moved] = await findAssetsByIds(quiet, admin, [asset]);
    const [byId] = await findAssetsByIds(quiet, admin, [asset]);
    const { rows: listed } = await listAssets(quiet, admin, {}, { first: 100 });
    const owned = await assetsOfOwners(quiet, admin, [users.residentGarcia.id], { first: 10 });
    for (const row of [moved, byId, listed.find((r) => r.id === asset), owned.find((r) => r.id === asset)]) {
      expect(row).toMatchObject({ id: asset });
      expect(row).not.toHaveProperty('pendingEvents');
    }
    expect(await pendingOn(quiet, asset)).toHaveLength(2);
  });
});
