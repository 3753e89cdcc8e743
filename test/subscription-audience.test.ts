// Events are judged by who could know of them when they happened, not only by who can see the
// entity when they are delivered: someone who comes to hold an asset later must not learn, by
// replaying old events, of the transfers between other people before it reached them.
// The tenant, its people and the asset are this file's own (seeded): a replay from the stream must
// not bring another file's transfers between the same people.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EVENT_STREAM, connectRedis, type Redis } from '@pathway/kit';
import { users } from '../scripts/demo/ids.ts';
import { gql, tokenFor } from './support/client.ts';
import { seed, type SeededPerson } from './support/seed.ts';
import { collect, wsClient } from './support/subscriptions.ts';

const TRANSFERRED = 'subscription($after: String) { assetTransferred(after: $after) { cursor fromOwnerId toOwnerId asset { id } } }';
type Transferred = { assetTransferred: { cursor: string; fromOwnerId: string; toOwnerId: string; asset: { id: string } | null } };

let redis: Redis;
let assetId: string;
let lee: SeededPerson;
let garcia: SeededPerson;
let kimPerson: SeededPerson;
let deptAdmin: SeededPerson;

beforeAll(async () => {
  redis = connectRedis(inject('redisUrl'), 'audience-test');
  const tenant = await seed.tenant();
  const facility = await tenant.facility();
  [lee, garcia, kimPerson, deptAdmin] = await Promise.all([
    facility.resident(),
    facility.resident(),
    facility.resident(),
    tenant.departmentAdmin(),
  ]);
  assetId = await tenant.asset(lee, { name: 'Audience check badge' }); // unlisted: only its holder and admins see it
});

afterAll(async () => {
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
    'mutation($a: UUID!, $to: UUID!) { transferDigitalAsset(assetId: $a, toUserId: $to) { id } }',
    { a: assetId, to },
    { token: await tokenFor(users.sysadmin.username) },
  );
  expect(res.errors).toBeUndefined();
}

describe('who hears of an asset transfer', () => {
  it('a later holder replaying the stream gets the transfer to them, not the one between two others before it', async () => {
    const [last] = (await redis.xrevrange(EVENT_STREAM, '+', '-', 'COUNT', 1)) as [string, string[]][];
    const before = last?.[0] ?? '0-0';
    await transfer(garcia.id); // Lee → Garcia: Kim could not see the asset then
    await transfer(kimPerson.id); // Garcia → Kim

    const ours = (r: { data?: Transferred | null }) => r.data?.assetTransferred.asset?.id === assetId;
    const kim = wsClient((await kimPerson.api()).accessToken);
    const admin = wsClient((await deptAdmin.api()).accessToken);
    try {
      const kimSees = collect<Transferred>(kim, TRANSFERRED, { after: before });
      const adminSees = collect<Transferred>(admin, TRANSFERRED, { after: before });
      const toOwners = (seen: typeof kimSees) => seen.results.filter(ours).map((r) => r.data!.assetTransferred.toOwnerId);
      // Events are delivered in stream order, one after another: once the transfer to Kim has
      // arrived, the decision on the one before it is made. A tenant-wide administrator gets both.
      await until(() => toOwners(adminSees).length >= 2 && toOwners(kimSees).includes(kimPerson.id));
      expect(toOwners(adminSees)).toEqual([garcia.id, kimPerson.id]);
      expect(toOwners(kimSees)).toEqual([kimPerson.id]);
      expect(kimSees.results.filter(ours)[0]!.data!.assetTransferred.fromOwnerId).toBe(garcia.id);
      expect(JSON.stringify(kimSees.results)).not.toContain(lee.id);
    } finally {
      await kim.dispose();
      await admin.dispose();
    }
  });
});
