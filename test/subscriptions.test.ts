import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId, facilities, users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';
import { startExtraGateway, type ExtraGateway } from './support/gateway.ts';
import { collect, wsClient } from './support/subscriptions.ts';

// Subscriptions through the gateway: a real graphql-ws client over a real socket, events from a
// real mutation (market's transferDigitalAsset) via Redis Streams, entity fields resolved through
// the graph with each subscriber's own identity.
const ASSET = demoId('f2', 2); // resident Lee's listed artwork (demo)
const RIVERSIDE_BADGE = demoId('f2', 3); // a Riverside student's badge (the other tenant)
const SUBSCRIBE = `subscription($after: String) { assetTransferred(after: $after) { cursor occurredAt fromOwnerId toOwnerId asset { id name owner { id } } } }`;
const TRANSFER = `mutation($assetId: ID!, $to: ID!) { transferDigitalAsset(assetId: $assetId, toUserId: $to) { id owner { id } } }`;

interface Event {
  assetTransferred: {
    cursor: string;
    occurredAt: string;
    fromOwnerId: string;
    toOwnerId: string;
    asset: { id: string; name: string; owner: { id: string } | null } | null;
  };
}

async function transfer(assetId: string, to: string) {
  const res = await gql(TRANSFER, { assetId, to }, { token: await tokenFor(users.sysadmin.username) });
  expect(res.errors).toBeUndefined();
}

/** Moves the asset to a person and back to its demo owner, so other tests find the demo as it was. */
async function roundTrip(assetId: string, via: string, home: string) {
  await transfer(assetId, via);
  await transfer(assetId, home);
}

const settle = () => new Promise((r) => setTimeout(r, 300)); // let the server register the subscription

describe('subscriptions', () => {
  it('deliver an event with the fields the subscriber may see, only to subscribers in scope', async () => {
    const admin = wsClient(await tokenFor(users.deptAdmin.username));
    const otherTenant = wsClient(await tokenFor(users.riversideAdmin.username));
    try {
      const seenByAdmin = collect<Event>(admin, SUBSCRIBE);
      const seenByOtherTenant = collect<Event>(otherTenant, SUBSCRIBE);
      await settle();
      await roundTrip(ASSET, users.residentGarcia.id, users.residentLee.id);
      // A Riverside event afterwards: the other tenant's subscriber must get it as its FIRST event.
      await roundTrip(RIVERSIDE_BADGE, users.riversideAdmin.id, users.riversideStudent.id);

      await seenByAdmin.waitFor(2);
      const first = seenByAdmin.results[0]!.data!.assetTransferred;
      expect(first).toMatchObject({
        fromOwnerId: users.residentLee.id,
        toOwnerId: users.residentGarcia.id,
        asset: { id: ASSET, name: expect.any(String) },
      });
      expect(first.cursor).toMatch(/^\d+-\d+$/);
      expect(seenByAdmin.results[1]!.data!.assetTransferred.toOwnerId).toBe(users.residentLee.id);

      await seenByOtherTenant.waitFor(1);
      expect(seenByOtherTenant.results[0]!.data!.assetTransferred.asset!.id).toBe(RIVERSIDE_BADGE);
      await seenByAdmin.waitFor(2);
      expect(seenByAdmin.results.every((r) => r.data!.assetTransferred.asset!.id === ASSET)).toBe(true);
    } finally {
      await admin.dispose();
      await otherTenant.dispose();
    }
  });

  it('tell a subscriber nothing of an event whose entity they may not see, even if they select no entity field', async () => {
    const kim = wsClient(await tokenFor(users.residentKim.username));
    try {
      const seen = collect<Event>(kim, 'subscription { assetTransferred { cursor toOwnerId } }');
      await settle();
      await transfer(ASSET, users.residentGarcia.id); // unlisted, Garcia's: not Kim's business
      await transfer(ASSET, users.residentKim.id); // now Kim holds it: hers to see
      await seen.waitFor(1);
      expect(seen.results[0]!.data!.assetTransferred.toOwnerId).toBe(users.residentKim.id);
      await transfer(ASSET, users.residentLee.id);
    } finally {
      await kim.dispose();
    }
  });

  it('resume after a cursor: what was missed first, in order, each once, then live events', async () => {
    const token = await tokenFor(users.deptAdmin.username);
    const first = wsClient(token);
    const live = collect<Event>(first, SUBSCRIBE);
    await settle();
    await transfer(ASSET, users.residentGarcia.id);
    await live.waitFor(1);
    const cursor = live.results[0]!.data!.assetTransferred.cursor;
    await first.dispose();

    // Missed while disconnected:
    await transfer(ASSET, users.residentKim.id);
    await transfer(ASSET, users.residentLee.id);

    const second = wsClient(token);
    try {
      const resumed = collect<Event>(second, SUBSCRIBE, { after: cursor });
      await resumed.waitFor(2);
      await transfer(ASSET, users.residentGarcia.id);
      await transfer(ASSET, users.residentLee.id);
      await resumed.waitFor(4);
      await settle();
      const owners = resumed.results.map((r) => r.data!.assetTransferred.toOwnerId);
      expect(owners).toEqual([users.residentKim.id, users.residentLee.id, users.residentGarcia.id, users.residentLee.id]);
      const cursors = resumed.results.map((r) => r.data!.assetTransferred.cursor);
      expect(new Set(cursors).size).toBe(cursors.length);
      expect([...cursors].sort()).toEqual(cursors);
    } finally {
      await second.dispose();
    }
  });

  it('over HTTP, answer with a clear error pointing to WebSocket', async () => {
    const res = await gql(SUBSCRIBE, {}, { token: await tokenFor(users.deptAdmin.username) });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.message).toMatch(/WebSocket/);
  });

  it('refuse a malformed cursor with BAD_USER_INPUT, and a connection without a valid token', async () => {
    const client = wsClient(await tokenFor(users.deptAdmin.username));
    try {
      const bad = collect<Event>(client, SUBSCRIBE, { after: 'yesterday' });
      await bad.closed;
      expect(bad.results).toHaveLength(1);
      expect(bad.results[0]!.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    } finally {
      await client.dispose();
    }
    for (const token of [null, 'not-a-token']) {
      const anonymous = wsClient(token);
      const refused = collect<Event>(anonymous, SUBSCRIBE);
      expect(await refused.closed).toMatchObject({ code: 4403 });
      await anonymous.dispose();
    }
  });
});

describe('subscriptions across gateway instances', () => {
  let extra: ExtraGateway;
  let second: ExtraGateway['process'];
  let secondUrl: string;

  beforeAll(async () => {
    extra = await startExtraGateway();
    second = extra.process;
    secondUrl = extra.url;
  });
  afterAll(() => extra?.stop());

  it('a subscriber on one gateway gets the events of a mutation sent through another', async () => {
    const client = wsClient(await tokenFor(users.deptAdmin.username), secondUrl);
    try {
      const seen = collect<Event>(client, SUBSCRIBE);
      await settle();
      await roundTrip(ASSET, users.residentGarcia.id, users.residentLee.id); // through the first gateway
      await seen.waitFor(2);
      expect(seen.results.map((r) => r.data!.assetTransferred.toOwnerId)).toEqual([users.residentGarcia.id, users.residentLee.id]);
    } finally {
      await client.dispose();
    }
  });

  it('a gateway killed mid-stream loses nothing: the client resumes on another gateway and sees every event exactly once', async () => {
    const token = await tokenFor(users.deptAdmin.username);
    const onSecond = wsClient(token, secondUrl);
    const first = collect<Event>(onSecond, SUBSCRIBE);
    await settle();
    const destinations = [
      users.residentGarcia.id,
      users.residentKim.id,
      users.residentLee.id,
      users.residentGarcia.id,
      users.residentLee.id,
    ];
    await transfer(ASSET, destinations[0]!);
    await first.waitFor(1);
    second.kill('SIGKILL'); // mid-stream, no goodbye
    await first.closed;
    const lastCursor = first.results.at(-1)!.data!.assetTransferred.cursor;
    for (const to of destinations.slice(1)) await transfer(ASSET, to); // published while the client is cut off

    const onFirst = wsClient(token); // the surviving gateway
    try {
      const resumed = collect<Event>(onFirst, SUBSCRIBE, { after: lastCursor });
      await resumed.waitFor(destinations.length - first.results.length);
      await settle();
      const all = [...first.results, ...resumed.results].map((r) => r.data!.assetTransferred);
      expect(all.map((e) => e.toOwnerId)).toEqual(destinations);
      expect(new Set(all.map((e) => e.cursor)).size).toBe(destinations.length);
    } finally {
      await onFirst.dispose();
      await onSecond.dispose();
    }
  });
});

describe('aggregates for analysts', () => {
  const STATS = '{ marketStats { properties { status count } listedAssets } }';

  it('an analyst reads market aggregates (counts of their tenant only); a resident may not', async () => {
    const res = await gql<{ marketStats: { properties: { status: string; count: number }[]; listedAssets: number } }>(
      STATS,
      {},
      { token: await tokenFor(users.analyst.username) },
    );
    expect(res.errors).toBeUndefined();
    const total = res.data!.marketStats.properties.reduce((sum, row) => sum + row.count, 0);
    expect(total).toBe(2); // the Lakeshore demo listings; the Riverside one is another tenant's
    expect(codes(await gql(STATS, {}, { token: await tokenFor(users.residentLee.username) }))).toEqual(['FORBIDDEN']);
  });

  it('an analyst subscribed to market activity gets fresh aggregates, never the asset or its owners', async () => {
    const analyst = wsClient(await tokenFor(users.analyst.username));
    try {
      const seen = collect<{ marketActivity: { cursor: string; stats: { listedAssets: number } } }>(
        analyst,
        'subscription { marketActivity { cursor stats { listedAssets } } }',
      );
      await settle();
      await transfer(ASSET, users.residentGarcia.id); // unlists the artwork
      await seen.waitFor(1);
      const now = await gql<{ marketStats: { listedAssets: number } }>(
        '{ marketStats { listedAssets } }',
        {},
        { token: await tokenFor(users.analyst.username) },
      );
      expect(seen.results[0]!.data!.marketActivity.stats).toEqual(now.data!.marketStats);
      expect(JSON.stringify(seen.results[0])).not.toContain(users.residentGarcia.id);
      await transfer(ASSET, users.residentLee.id);
    } finally {
      await analyst.dispose();
    }
  });
});

describe('campus subscriptions', () => {
  const ENROLLED = `subscription { enrollmentChanged { cursor status previousStatus enrollment { id user { id } class { name } } } }`;
  type Enrolled = { enrollmentChanged: { status: string; enrollment: { id: string; user: { id: string }; class: { name: string } } } };

  it('a resident hears of their own enrollment, and not of a classmate’s', async () => {
    const admin = await tokenFor(users.facilityAdmin.username);
    const name = `Subscribed class ${Date.now()}`;
    const created = await gql<{ createProgramClass: { id: string } }>(
      'mutation($input: CreateProgramClassInput!) { createProgramClass(input: $input) { id } }',
      {
        input: {
          programId: demoId('c1', 1),
          facilityId: facilities.northRidge.id,
          name,
          capacity: 5,
          startDt: '2027-03-01T14:00:00Z',
          endDt: '2027-06-01T16:00:00Z',
        },
      },
      { token: admin },
    );
    expect(created.errors).toBeUndefined();
    const classId = created.data!.createProgramClass.id;

    const lee = wsClient(await tokenFor(users.residentLee.username));
    try {
      const seen = collect<Enrolled>(lee, ENROLLED);
      await settle();
      const enroll = (userId: string) =>
        gql(
          'mutation($c: ID!, $u: [ID!]!) { enrollResidents(classId: $c, userIds: $u) { id } }',
          { c: classId, u: [userId] },
          { token: admin },
        );
      expect((await enroll(users.residentGarcia.id)).errors).toBeUndefined(); // a classmate: not Lee's business
      expect((await enroll(users.residentLee.id)).errors).toBeUndefined();
      await seen.waitFor(1);
      await settle();
      expect(seen.results).toHaveLength(1);
      expect(seen.results[0]!.data!.enrollmentChanged).toMatchObject({
        status: 'Enrolled',
        previousStatus: null,
        enrollment: { user: { id: users.residentLee.id }, class: { name } },
      });
    } finally {
      await lee.dispose();
    }
  });
});
