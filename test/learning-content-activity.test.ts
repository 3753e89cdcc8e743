import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codes } from './support/client.ts';
import { startFakeKiwix, type FakeKiwix } from './support/content-servers.ts';
import { seed, type SeededFacility, type SeededPerson, type SignedIn } from './support/seed.ts';

// Open-content activity through the gateway, stored in learning's MongoDB (the tests' mongo-wire
// stand-in): sessions opened and kept alive by residents, per-person summaries for the person and
// staff within reach, per-item usage by aggregation for administrators and analysts (small counts
// suppressed). Time passing is simulated by moving a session's timestamps back in the database.
const OPEN = `mutation($kind: OpenContentKind!, $id: UUID!) { openContentSession(kind: $kind, id: $id) {
  sessionId session { id kind contentId openedAt closedAt durationSeconds user { id } facility { id } } } }`;
const TOUCH = `mutation($s: UUID!, $closed: Boolean) { recordOpenContentActivity(sessionId: $s, closed: $closed) {
  session { durationSeconds closedAt } } }`;
const SUMMARY = `query($id: UUID!, $from: DateTime, $to: DateTime) { user(id: $id) { id openContentActivity(from: $from, to: $to) {
  totalSeconds sessions lastOpenedAt byKind { kind sessions totalSeconds } } } }`;
const SESSIONS = `query($id: UUID!, $first: Int, $after: String) { user(id: $id) { id openContentSessions(first: $first, after: $after) {
  nodes { id kind durationSeconds } pageInfo { hasNextPage endCursor } } } }`;
const USAGE = `query($kind: OpenContentKind, $first: Int, $after: String) { openContentUsage(kind: $kind, first: $first, after: $after) {
  nodes { kind contentId people sessions totalSeconds lastOpenedAt byMonth { month people sessions totalSeconds } }
  pageInfo { hasNextPage endCursor } } }`;
const LIBRARY_USAGE = `query($id: UUID!) { library(id: $id) { id usage { people sessions totalSeconds byMonth { month people sessions } } } }`;
const ADD_LINK = `mutation($input: AddHelpfulLinkInput!) { addHelpfulLink(input: $input) { helpfulLinkId } }`;

let kiwix: FakeKiwix;
let mongo: MongoClient;
let facilityA: SeededFacility;
let facilityB: SeededFacility;
let admin: SignedIn;
let adminB: SignedIn;
let staffA: SignedIn;
let analyst: SignedIn;
let partner: SignedIn;
let residents: SeededPerson[];
let residentB: SeededPerson;
let linkId: string;
let libraryId: string;

const sessions = () =>
  mongo.db('pathway_learning').collection<{ _id: string; last_seen_at: Date; opened_at: Date }>('open_content_activity');
/** Moves a session's clock back: as if its last heartbeat (and its opening) were `seconds` ago. */
async function backdate(sessionId: string, seconds: number, openedToo = false) {
  const doc = (await sessions().findOne({ _id: sessionId }))!;
  const shift = (d: Date) => new Date(d.getTime() - seconds * 1000);
  await sessions().updateOne(
    { _id: sessionId },
    { $set: { last_seen_at: shift(doc.last_seen_at), ...(openedToo ? { opened_at: shift(doc.opened_at) } : {}) } },
  );
}

async function open(who: SignedIn, kind: string, id: string): Promise<string> {
  const res = await who.gql<{ openContentSession: { sessionId: string } }>(OPEN, { kind, id });
  expect(res.errors).toBeUndefined();
  return res.data!.openContentSession.sessionId;
}

beforeAll(async () => {
  mongo = await MongoClient.connect(inject('mongoUrl'));
  const tenant = await seed.tenant();
  [facilityA, facilityB] = await Promise.all([tenant.facility(), tenant.facility()]);
  const [dept, fb, sA, an, pa] = await Promise.all([
    tenant.departmentAdmin(),
    facilityB.facilityAdmin(),
    facilityA.staff(),
    tenant.analyst(),
    tenant.person('partner'),
  ]);
  residents = await Promise.all(Array.from({ length: 5 }, () => facilityA.resident()));
  residentB = await facilityB.resident();
  [admin, adminB, staffA, analyst, partner] = await Promise.all([dept.api(), fb.api(), sA.api(), an.api(), pa.api()]);
  kiwix = await startFakeKiwix([
    { id: crypto.randomUUID(), title: 'Wikipedia: Carpentry', summary: 'Woodwork', language: 'eng', name: 'carpentry' },
  ]);
  const provider = await admin.gql<{ createOpenContentProvider: { openContentProviderId: string } }>(
    `mutation($input: CreateOpenContentProviderInput!) { createOpenContentProvider(input: $input) { openContentProviderId } }`,
    { input: { kind: 'kiwix', title: `Kiwix ${randomBytes(3).toString('hex')}`, url: kiwix.url } },
  );
  const providerId = provider.data!.createOpenContentProvider.openContentProviderId;
  await admin.gql(`mutation($id: UUID!) { syncOpenContentProvider(id: $id) { ok } }`, { id: providerId });
  const libs = await admin.gql<{ libraries: { nodes: { id: string }[] } }>(
    `query($p: UUID) { libraries(first: 5, filter: { openContentProviderId: $p }) { nodes { id } } }`,
    { p: providerId },
  );
  libraryId = libs.data!.libraries.nodes[0]!.id;
  await admin.gql(
    `mutation($id: UUID!, $f: UUID!) { setOpenContentVisibility(kind: library, id: $id, facilityId: $f, visible: true) { changed } }`,
    {
      id: libraryId,
      f: facilityA.id,
    },
  );
  const link = await admin.gql<{ addHelpfulLink: { helpfulLinkId: string } }>(ADD_LINK, {
    input: { title: 'Job board', url: `https://jobs-${randomBytes(3).toString('hex')}.example.org`, facilityIds: [facilityA.id] },
  });
  linkId = link.data!.addHelpfulLink.helpfulLinkId;
});
afterAll(async () => {
  await Promise.all([kiwix?.close(), mongo?.close()]);
});

describe('open-content sessions (MongoDB: the mongo-wire stand-in)', () => {
  it('a resident opens an item they may see, heartbeats add the time since the last (at most 5 minutes), closing ends it', async () => {
    const asR = await residents[0]!.api();
    const opened = await asR.gql<{ openContentSession: { sessionId: string; session: Record<string, unknown> } }>(OPEN, {
      kind: 'helpful_link',
      id: linkId,
    });
    expect(opened.errors).toBeUndefined();
    const id = opened.data!.openContentSession.sessionId;
    expect(opened.data!.openContentSession.session).toMatchObject({
      id,
      kind: 'helpful_link',
      contentId: linkId,
      closedAt: null,
      durationSeconds: 0,
      user: { id: residents[0]!.id },
      facility: { id: facilityA.id },
    });

    await backdate(id, 120);
    const beat = await asR.gql<{ recordOpenContentActivity: { session: { durationSeconds: number; closedAt: string | null } } }>(TOUCH, {
      s: id,
    });
    expect(beat.errors).toBeUndefined();
    expect(beat.data!.recordOpenContentActivity.session.durationSeconds).toBeGreaterThanOrEqual(120);
    expect(beat.data!.recordOpenContentActivity.session.durationSeconds).toBeLessThan(130);

    await backdate(id, 7200); // a tab left open for two hours counts five minutes
    const closed = await asR.gql<{ recordOpenContentActivity: { session: { durationSeconds: number; closedAt: string | null } } }>(TOUCH, {
      s: id,
      closed: true,
    });
    const total = closed.data!.recordOpenContentActivity.session.durationSeconds;
    expect(total - beat.data!.recordOpenContentActivity.session.durationSeconds).toBe(300);
    expect(closed.data!.recordOpenContentActivity.session.closedAt).not.toBeNull();

    const again = await asR.gql(TOUCH, { s: id });
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_TRANSITION' });
    const stored = (await sessions().findOne({ _id: id })) as unknown as { duration_seconds: number };
    expect(stored.duration_seconds).toBe(total); // the refusal changed nothing
  });

  it('refuses wrong roles, hidden items, others\u2019 sessions and malformed ids', async () => {
    expect(codes(await analyst.gql(OPEN, { kind: 'helpful_link', id: linkId }))).toEqual(['FORBIDDEN']);
    expect(codes(await partner.gql(OPEN, { kind: 'helpful_link', id: linkId }))).toEqual(['FORBIDDEN']);
    const id = await open(await residents[1]!.api(), 'library', libraryId);
    expect(codes(await analyst.gql(TOUCH, { s: id }))).toEqual(['FORBIDDEN']);
    expect(codes(await partner.gql(TOUCH, { s: id }))).toEqual(['FORBIDDEN']);

    const asB = await residentB.api();
    const before = await sessions().countDocuments({});
    expect(codes(await asB.gql(OPEN, { kind: 'helpful_link', id: linkId }))).toEqual(['NOT_FOUND']); // not visible at facility B
    expect(codes(await asB.gql(OPEN, { kind: 'video', id: linkId }))).toEqual(['NOT_FOUND']); // wrong kind for the id
    expect(codes(await asB.gql(OPEN, { kind: 'book', id: linkId }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await asB.gql(OPEN, { kind: 'library', id: 'not-a-uuid' }))).toEqual(['BAD_USER_INPUT']);
    expect(await sessions().countDocuments({})).toBe(before);

    expect(codes(await asB.gql(TOUCH, { s: id }))).toEqual(['NOT_FOUND']); // someone else's session
    expect(codes(await staffA.gql(TOUCH, { s: id }))).toEqual(['NOT_FOUND']); // staff see it, but it is not theirs to keep alive
    expect(codes(await asB.gql(TOUCH, { s: 'x' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await asB.gql(TOUCH, { s: crypto.randomUUID() }))).toEqual(['NOT_FOUND']);
  });
});

describe('per-person summaries (aggregation on the mongo-wire stand-in)', () => {
  it('totals time, sessions and last opened per kind, for the person and staff within reach only', async () => {
    const asR = await residents[2]!.api();
    const a = await open(asR, 'library', libraryId);
    await backdate(a, 60);
    await asR.gql(TOUCH, { s: a, closed: true });
    const b = await open(asR, 'helpful_link', linkId);
    await backdate(b, 30);
    await asR.gql(TOUCH, { s: b });

    const mine = await asR.gql<{
      user: { openContentActivity: { totalSeconds: number; sessions: number; lastOpenedAt: string; byKind: unknown[] } };
    }>(SUMMARY, { id: residents[2]!.id });
    expect(mine.errors).toBeUndefined();
    const summary = mine.data!.user.openContentActivity;
    expect(summary.sessions).toBe(2);
    expect(summary.totalSeconds).toBeGreaterThanOrEqual(90);
    expect(summary.lastOpenedAt).not.toBeNull();
    expect(summary.byKind).toEqual([
      expect.objectContaining({ kind: 'helpful_link', sessions: 1 }),
      expect.objectContaining({ kind: 'library', sessions: 1 }),
    ]);
    const staff = await staffA.gql<{ user: { openContentActivity: { sessions: number } } }>(SUMMARY, { id: residents[2]!.id });
    expect(staff.data!.user.openContentActivity.sessions).toBe(2);

    // A range that ends before the sessions: nothing; a range the wrong way round: BAD_USER_INPUT.
    const past = await asR.gql<{ user: { openContentActivity: { sessions: number } } }>(SUMMARY, {
      id: residents[2]!.id,
      to: '2020-01-01T00:00:00Z',
    });
    expect(past.data!.user.openContentActivity.sessions).toBe(0);
    expect(codes(await asR.gql(SUMMARY, { id: residents[2]!.id, from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }))).toEqual([
      'BAD_USER_INPUT',
    ]);

    // Pages of the person's sessions, newest first.
    const page1 = await asR.gql<{
      user: { openContentSessions: { nodes: { kind: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    }>(SESSIONS, { id: residents[2]!.id, first: 1 });
    expect(page1.data!.user.openContentSessions.nodes.map((n) => n.kind)).toEqual(['helpful_link']);
    expect(page1.data!.user.openContentSessions.pageInfo.hasNextPage).toBe(true);
    const page2 = await asR.gql<{ user: { openContentSessions: { nodes: { kind: string }[]; pageInfo: { hasNextPage: boolean } } } }>(
      SESSIONS,
      {
        id: residents[2]!.id,
        first: 1,
        after: page1.data!.user.openContentSessions.pageInfo.endCursor,
      },
    );
    expect(page2.data!.user.openContentSessions.nodes.map((n) => n.kind)).toEqual(['library']);
    expect(page2.data!.user.openContentSessions.pageInfo.hasNextPage).toBe(false);
  });

  it('another resident, an analyst and an administrator of another facility learn nothing of the person', async () => {
    const other = await (
      await residents[3]!.api()
    ).gql<{ user: { openContentActivity: unknown } | null }>(SUMMARY, { id: residents[2]!.id });
    expect(other.data?.user?.openContentActivity ?? null).toBeNull();
    const an = await analyst.gql<{ user: { openContentSessions: unknown } | null }>(SESSIONS, { id: residents[2]!.id });
    expect(an.data?.user?.openContentSessions ?? null).toBeNull();
    const far = await adminB.gql<{ user: { openContentActivity: { sessions: number } | null } | null }>(SUMMARY, { id: residents[2]!.id });
    expect(far.data?.user?.openContentActivity?.sessions ?? 0).toBe(0);
  });
});

describe('per-item usage (aggregation on the mongo-wire stand-in, small counts suppressed)', () => {
  it('counts distinct people, sessions and time per item and month; analysts get "<5" and no time for few people', async () => {
    // Five distinct residents open the link (one twice, one last month): five people; the library has fewer.
    for (const r of residents) await open(await r.api(), 'helpful_link', linkId);
    const lastMonth = await open(await residents[4]!.api(), 'helpful_link', linkId);
    await backdate(lastMonth, 40 * 86_400, true);

    type Usage = {
      kind: string;
      contentId: string;
      people: number | string;
      sessions: number | string;
      totalSeconds: number | null;
      byMonth: { month: string; people: number | string }[];
    };
    const exact = await admin.gql<{ openContentUsage: { nodes: Usage[] } }>(USAGE, { first: 10 });
    expect(exact.errors).toBeUndefined();
    const link = exact.data!.openContentUsage.nodes.find((n) => n.contentId === linkId)!;
    const lib = exact.data!.openContentUsage.nodes.find((n) => n.contentId === libraryId)!;
    expect(link).toMatchObject({ kind: 'helpful_link', people: 5 });
    expect(link.sessions).toBe(8); // r0 once before, r2 once before, five now, one backdated
    expect(link.byMonth).toHaveLength(2);
    expect(lib).toMatchObject({ kind: 'library', people: 2, sessions: 2 });
    expect(lib.totalSeconds).toBeGreaterThanOrEqual(60);

    const suppressed = await analyst.gql<{ openContentUsage: { nodes: Usage[] } }>(USAGE, { first: 10 });
    expect(suppressed.errors).toBeUndefined();
    const libA = suppressed.data!.openContentUsage.nodes.find((n) => n.contentId === libraryId)!;
    expect(libA).toMatchObject({ people: '<5', sessions: '<5', totalSeconds: null, lastOpenedAt: null });
    const linkA = suppressed.data!.openContentUsage.nodes.find((n) => n.contentId === linkId)!;
    expect(linkA.people).toBe(5);
    expect(linkA.totalSeconds).not.toBeNull();

    // Paged by item, the cursor carrying no count.
    const p1 = await analyst.gql<{ openContentUsage: { nodes: Usage[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(USAGE, {
      first: 1,
    });
    expect(p1.data!.openContentUsage.pageInfo.hasNextPage).toBe(true);
    expect(Buffer.from(p1.data!.openContentUsage.pageInfo.endCursor, 'base64url').toString()).not.toMatch(/"\d/);
    const p2 = await analyst.gql<{ openContentUsage: { nodes: Usage[]; pageInfo: { hasNextPage: boolean } } }>(USAGE, {
      first: 1,
      after: p1.data!.openContentUsage.pageInfo.endCursor,
    });
    expect(p2.data!.openContentUsage.nodes[0]!.contentId).not.toBe(p1.data!.openContentUsage.nodes[0]!.contentId);
    expect(p2.data!.openContentUsage.pageInfo.hasNextPage).toBe(false);
    expect(codes(await analyst.gql(USAGE, { first: 0 }))).toEqual(['BAD_USER_INPUT']);

    // Facility B's administrator counts facility B: nothing there.
    const b = await adminB.gql<{ openContentUsage: { nodes: Usage[] } }>(USAGE, { first: 10 });
    expect(b.data!.openContentUsage.nodes).toEqual([]);
    // Residents and staff read no aggregates.
    expect(codes(await (await residents[0]!.api()).gql(USAGE, {}))).toEqual(['FORBIDDEN']);
    expect(codes(await partner.gql(USAGE, {}))).toEqual(['FORBIDDEN']);
  });

  it('Library.usage gives administrators one library\u2019s figures by month; residents may not read it', async () => {
    const res = await admin.gql<{ library: { usage: { people: number; sessions: number; byMonth: { people: number }[] } } }>(
      LIBRARY_USAGE,
      {
        id: libraryId,
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.library.usage).toMatchObject({ people: 2, sessions: 2 });
    expect(res.data!.library.usage.byMonth).toEqual([expect.objectContaining({ people: 2, sessions: 2 })]);
    const asR = await (await residents[0]!.api()).gql<{ library: { id: string; usage: unknown } }>(LIBRARY_USAGE, { id: libraryId });
    expect(asR.data!.library.id).toBe(libraryId);
    expect(asR.data!.library.usage).toBeNull();
    expect(codes(asR)).toEqual(['FORBIDDEN']);
  });
});
