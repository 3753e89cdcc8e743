import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';
import { startExtraGateway, type ExtraGateway } from './support/gateway.ts';
import { seed, type SeededFacility, type SeededPerson } from './support/seed.ts';
import { collect, wsClient } from './support/subscriptions.ts';

// Subscriptions through the gateway: a real graphql-ws client over a real socket, events from a
// real mutation (market's transferDigitalAsset) via Redis Streams, entity fields resolved through
// the graph with each subscriber's own identity. The subscribers see every transfer in their tenant,
// so the tenants, people and assets are this file's own (seeded): no other file's transfers arrive.
let ASSET: string; // Lee's listed artwork
let RIVERSIDE_BADGE: string; // a student's badge in the other tenant
let facility: SeededFacility;
let lee: SeededPerson;
let garcia: SeededPerson;
let kim: SeededPerson;
let deptAdmin: SeededPerson;
let analyst: SeededPerson;
let awayAdmin: SeededPerson; // a facility admin of the other tenant
let student: SeededPerson;
const tokenOf = async (person: SeededPerson) => (await person.api()).accessToken;

beforeAll(async () => {
  const [home, away] = await Promise.all([seed.tenant(), seed.tenant()]);
  const awayFacility = await away.facility();
  facility = await home.facility();
  [lee, garcia, kim, deptAdmin, analyst, awayAdmin, student] = await Promise.all([
    facility.resident({ firstName: 'Marcus', lastName: 'Lee' }),
    facility.resident({ firstName: 'Elena', lastName: 'Garcia' }),
    facility.resident({ firstName: 'Ana', lastName: 'Kim' }),
    home.departmentAdmin(),
    home.analyst(),
    awayFacility.facilityAdmin(),
    awayFacility.resident(),
  ]);
  [ASSET, RIVERSIDE_BADGE] = await Promise.all([home.asset(lee, { listed: true }), away.asset(student)]);
});
const SUBSCRIBE = `subscription($after: String) { assetTransferred(after: $after) { cursor occurredAt fromOwnerId toOwnerId asset { id name owner { id } } } }`;
const TRANSFER = `mutation($assetId: UUID!, $to: UUID!) { transferDigitalAsset(assetId: $assetId, toUserId: $to) { id owner { id } } }`;

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

/** Moves the asset to a person and back to its owner. */
async function roundTrip(assetId: string, via: string, home: string) {
  await transfer(assetId, via);
  await transfer(assetId, home);
}

const settle = () => new Promise((r) => setTimeout(r, 300)); // let the server register the subscription

describe('subscriptions', () => {
  it('deliver an event with the fields the subscriber may see, only to subscribers in scope', async () => {
    const admin = wsClient(await tokenOf(deptAdmin));
    const otherTenant = wsClient(await tokenOf(awayAdmin));
    try {
      const seenByAdmin = collect<Event>(admin, SUBSCRIBE);
      const seenByOtherTenant = collect<Event>(otherTenant, SUBSCRIBE);
      await settle();
      await roundTrip(ASSET, garcia.id, lee.id);
      // A Riverside event afterwards: the other tenant's subscriber must get it as its FIRST event.
      await roundTrip(RIVERSIDE_BADGE, awayAdmin.id, student.id);

      await seenByAdmin.waitFor(2);
      const first = seenByAdmin.results[0]!.data!.assetTransferred;
      expect(first).toMatchObject({
        fromOwnerId: lee.id,
        toOwnerId: garcia.id,
        asset: { id: ASSET, name: expect.any(String) },
      });
      expect(first.cursor).toMatch(/^\d+-\d+$/);
      expect(seenByAdmin.results[1]!.data!.assetTransferred.toOwnerId).toBe(lee.id);

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
    const kimClient = wsClient(await tokenOf(kim));
    try {
      const seen = collect<Event>(kimClient, 'subscription { assetTransferred { cursor toOwnerId } }');
      await settle();
      await transfer(ASSET, garcia.id); // unlisted, Garcia's: not Kim's business
      await transfer(ASSET, kim.id); // now Kim holds it: hers to see
      await seen.waitFor(1);
      expect(seen.results[0]!.data!.assetTransferred.toOwnerId).toBe(kim.id);
      await transfer(ASSET, lee.id);
    } finally {
      await kimClient.dispose();
    }
  });

  it('resume after a cursor: what was missed first, in order, each once, then live events', async () => {
    const token = await tokenOf(deptAdmin);
    const first = wsClient(token);
    const live = collect<Event>(first, SUBSCRIBE);
    await settle();
    await transfer(ASSET, garcia.id);
    await live.waitFor(1);
    const cursor = live.results[0]!.data!.assetTransferred.cursor;
    await first.dispose();

    // Missed while disconnected:
    await transfer(ASSET, kim.id);
    await transfer(ASSET, lee.id);

    const second = wsClient(token);
    try {
      const resumed = collect<Event>(second, SUBSCRIBE, { after: cursor });
      await resumed.waitFor(2);
      await transfer(ASSET, garcia.id);
      await transfer(ASSET, lee.id);
      await resumed.waitFor(4);
      await settle();
      const owners = resumed.results.map((r) => r.data!.assetTransferred.toOwnerId);
      expect(owners).toEqual([kim.id, lee.id, garcia.id, lee.id]);
      const cursors = resumed.results.map((r) => r.data!.assetTransferred.cursor);
      expect(new Set(cursors).size).toBe(cursors.length);
      expect([...cursors].sort()).toEqual(cursors);
    } finally {
      await second.dispose();
    }
  });

  it('over HTTP, answer with a clear error pointing to WebSocket', async () => {
    const res = await gql(SUBSCRIBE, {}, { token: await tokenOf(deptAdmin) });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.message).toMatch(/WebSocket/);
  });

  it('refuse a malformed cursor with BAD_USER_INPUT, and a connection without a valid token', async () => {
    const client = wsClient(await tokenOf(deptAdmin));
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
    const client = wsClient(await tokenOf(deptAdmin), secondUrl);
    try {
      const seen = collect<Event>(client, SUBSCRIBE);
      await settle();
      await roundTrip(ASSET, garcia.id, lee.id); // through the first gateway
      await seen.waitFor(2);
      expect(seen.results.map((r) => r.data!.assetTransferred.toOwnerId)).toEqual([garcia.id, lee.id]);
    } finally {
      await client.dispose();
    }
  });

  it('a gateway killed mid-stream loses nothing: the client resumes on another gateway and sees every event exactly once', async () => {
    const token = await tokenOf(deptAdmin);
    const onSecond = wsClient(token, secondUrl);
    const first = collect<Event>(onSecond, SUBSCRIBE);
    await settle();
    const destinations = [garcia.id, kim.id, lee.id, garcia.id, lee.id];
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
    const analystClient = wsClient(await tokenOf(analyst));
    try {
      const seen = collect<{ marketActivity: { cursor: string; stats: { listedAssets: number } } }>(
        analystClient,
        'subscription { marketActivity { cursor stats { listedAssets } } }',
      );
      await settle();
      await transfer(ASSET, garcia.id); // unlists the artwork
      await seen.waitFor(1);
      const now = await gql<{ marketStats: { listedAssets: number } }>(
        '{ marketStats { listedAssets } }',
        {},
        { token: await tokenOf(analyst) },
      );
      expect(seen.results[0]!.data!.marketActivity.stats).toEqual(now.data!.marketStats);
      expect(JSON.stringify(seen.results[0])).not.toContain(garcia.id);
      await transfer(ASSET, lee.id);
    } finally {
      await analystClient.dispose();
    }
  });
});

describe('campus subscriptions', () => {
  const ENROLLED = `subscription { enrollmentChanged { cursor status previousStatus enrollment { id user { id } class { name } } } }`;
  type Enrolled = { enrollmentChanged: { status: string; enrollment: { id: string; user: { id: string }; class: { name: string } } } };

  it('a resident hears of their own enrollment, and not of a classmate’s', async () => {
    const admin = await tokenOf(await facility.facilityAdmin());
    const name = `Subscribed class ${Date.now()}`;
    const program = await facility.program();
    const created = await gql<{ createProgramClass: { id: string } }>(
      'mutation($input: CreateProgramClassInput!) { createProgramClass(input: $input) { id } }',
      {
        input: {
          programId: program.id,
          facilityId: facility.id,
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

    const leeClient = wsClient(await tokenOf(lee));
    try {
      const seen = collect<Enrolled>(leeClient, ENROLLED);
      await settle();
      const enroll = (userId: string) =>
        gql(
          'mutation($c: UUID!, $u: [UUID!]!) { enrollResidents(classId: $c, userIds: $u) { id } }',
          { c: classId, u: [userId] },
          { token: admin },
        );
      expect((await enroll(garcia.id)).errors).toBeUndefined(); // a classmate: not Lee's business
      expect((await enroll(lee.id)).errors).toBeUndefined();
      await seen.waitFor(1);
      await settle();
      expect(seen.results).toHaveLength(1);
      expect(seen.results[0]!.data!.enrollmentChanged).toMatchObject({
        status: 'Enrolled',
        previousStatus: null,
        enrollment: { user: { id: lee.id }, class: { name } },
      });
    } finally {
      await leeClient.dispose();
    }
  });
});
