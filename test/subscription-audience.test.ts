// Events are judged by who could know of them when they happened, not only by who can see the
// entity when they are delivered: someone who comes to hold an asset later must not learn, by
// replaying old events, of the transfers between other people before it reached them.
// MongoDB here is the project's wire-protocol stand-in (see README), used only to place an asset.
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EVENT_STREAM, connectRedis, type Redis } from '@pathway/kit';
import { tenants, users } from '../scripts/demo/ids.ts';
import { gql, tokenFor } from './support/client.ts';
import { collect, wsClient } from './support/subscriptions.ts';

const TRANSFERRED = 'subscription($after: String) { assetTransferred(after: $after) { cursor fromOwnerId toOwnerId asset { id } } }';
type Transferred = { assetTransferred: { cursor: string; fromOwnerId: string; toOwnerId: string; asset: { id: string } | null } };

let mongo: MongoClient;
let redis: Redis;
const assetId = randomUUID();

beforeAll(async () => {
  mongo = await MongoClient.connect(inject('mongoUrl'));
  redis = connectRedis(inject('redisUrl'), 'audience-test');
  await mongo
    .db('pathway_market')
    .collection('digital_assets')
    .insertOne({
      _id: assetId as never,
      tenantId: tenants.lakeshore,
      name: 'Audience check badge',
      creatorId: users.facilityAdmin.id,
      ownerId: users.residentLee.id,
      assetType: 'badge',
      metadata: { attributes: [] },
      isListed: false,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
});

afterAll(async () => {
  await mongo
    .db('pathway_market')
    .collection('digital_assets')
    .deleteOne({ _id: assetId as never });
  await mongo.close();
  await redis.quit();
});

/** Waits (bounded) until `done` holds. */
async function until(done: () => boolean, ms = 15_000) {
  for (const started = Date.now(); !done(); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() - started > ms) throw new Error('timed out waiting for the events');
  }
}

async function transfer(to: string) {
  const res = await gql(
    'mutation($a: ID!, $to: ID!) { transferDigitalAsset(assetId: $a, toUserId: $to) { id } }',
    { a: assetId, to },
    { token: await tokenFor(users.sysadmin.username) },
  );
  expect(res.errors).toBeUndefined();
}

describe('who hears of an asset transfer', () => {
  it('a later holder replaying the stream gets the transfer to them, not the one between two others before it', async () => {
    const [last] = (await redis.xrevrange(EVENT_STREAM, '+', '-', 'COUNT', 1)) as [string, string[]][];
    const before = last?.[0] ?? '0-0';
    await transfer(users.residentGarcia.id); // Lee → Garcia: Kim could not see the asset then
    await transfer(users.residentKim.id); // Garcia → Kim

    const ours = (r: { data?: Transferred | null }) => r.data?.assetTransferred.asset?.id === assetId;
    const kim = wsClient(await tokenFor(users.residentKim.username));
    const admin = wsClient(await tokenFor(users.deptAdmin.username));
    try {
      const kimSees = collect<Transferred>(kim, TRANSFERRED, { after: before });
      const adminSees = collect<Transferred>(admin, TRANSFERRED, { after: before });
      const toOwners = (seen: typeof kimSees) => seen.results.filter(ours).map((r) => r.data!.assetTransferred.toOwnerId);
      // Events are delivered in stream order, one after another: once the transfer to Kim has
      // arrived, the decision on the one before it is made. A tenant-wide administrator gets both.
      await until(() => toOwners(adminSees).length >= 2 && toOwners(kimSees).includes(users.residentKim.id));
      expect(toOwners(adminSees)).toEqual([users.residentGarcia.id, users.residentKim.id]);
      expect(toOwners(kimSees)).toEqual([users.residentKim.id]);
      expect(kimSees.results.filter(ours)[0]!.data!.assetTransferred.fromOwnerId).toBe(users.residentGarcia.id);
      expect(JSON.stringify(kimSees.results)).not.toContain(users.residentLee.id);
    } finally {
      await kim.dispose();
      await admin.dispose();
    }
  });
});
