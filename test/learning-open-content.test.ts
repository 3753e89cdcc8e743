import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from './support/client.ts';
import { startFakeKiwix, startFakeYoutube, type FakeKiwix, type FakeYoutube } from './support/content-servers.ts';
import { seed, type SeededFacility, type SeededPerson, type SignedIn } from './support/seed.ts';
import { collect, wsClient } from './support/subscriptions.ts';

// Open content through the gateway: content providers, the Kiwix catalog read from a local OPDS
// server, videos whose metadata comes from a local YouTube Data API stand-in, helpful links,
// per-facility visibility, favorites, content requests (with their event) and the one search.
const CREATE_PROVIDER = `mutation($input: CreateOpenContentProviderInput!) { createOpenContentProvider(input: $input) { openContentProviderId } }`;
const SYNC_KIWIX = `mutation($id: UUID!) { syncOpenContentProvider(id: $id) { ok status message librariesSeen librariesCreated librariesUpdated librariesUnchanged
  openContentProvider { lastSyncedAt } } }`;
const LIBRARIES = `query($f: LibraryFilter, $first: Int, $after: String) { libraries(first: $first, after: $after, filter: $f) {
  nodes { id title language url thumbnailUrl isFavorite provider { title kind } } pageInfo { hasNextPage endCursor } } }`;
const VISIBILITY = `mutation($kind: OpenContentKind!, $id: UUID!, $f: UUID!, $v: Boolean!) {
  setOpenContentVisibility(kind: $kind, id: $id, facilityId: $f, visible: $v) { visible changed } }`;
const ADD_VIDEO = `mutation($input: AddVideoInput!) { addVideo(input: $input) { videoId video { availability title } } }`;
const VIDEO = `query($id: UUID!) { video(id: $id) { title availability channelTitle durationSeconds thumbnailUrl attempts lastError } }`;
const ADD_LINK = `mutation($input: AddHelpfulLinkInput!) { addHelpfulLink(input: $input) { helpfulLinkId helpfulLink { title visibleFacilities { id } } } }`;
const FAVORITE = `mutation($kind: OpenContentKind!, $id: UUID!) { favoriteOpenContent(kind: $kind, id: $id) { created favorite { kind library { title } } } }`;
const FAVORITES = `query($id: UUID!) { user(id: $id) { favorites(first: 10) { nodes { kind library { title } helpfulLink { title } } } } }`;
const REQUEST = `mutation($input: RequestContentInput!) { requestContent(input: $input) { contentRequestId contentRequest { status title } } }`;
const RESOLVE = `mutation($id: UUID!, $s: ContentRequestResolution!, $n: String) { resolveContentRequest(id: $id, status: $s, note: $n) {
  contentRequest { status resolutionNote resolvedBy { id } } } }`;
const SEARCH = `query($q: String!, $kinds: [LearningSearchKind!], $first: Int, $after: String) { learningSearch(search: $q, kinds: $kinds, first: $first, after: $after) {
  edges { kind rank node { __typename ... on Library { title } ... on Video { title } ... on HelpfulLink { title } ... on Course { name } } }
  pageInfo { hasNextPage endCursor } } }`;

let kiwix: FakeKiwix;
let youtube: FakeYoutube;
let admin: SignedIn;
let facilityA: SeededFacility;
let facilityB: SeededFacility;
let adminA: SignedIn;
let adminB: SignedIn;
let residentA: SeededPerson;
let residentB: SeededPerson;
let staffA: SignedIn;
let kiwixId: string;
let youtubeId: string;

const books = Array.from({ length: 55 }, (_, i) => ({
  id: randomUUID(),
  title: i === 0 ? 'Wikipedia: Welding and Metalwork' : `Offline book ${String(i).padStart(2, '0')}`,
  summary: i === 1 ? 'A guide to welding safety' : 'Reference material',
  language: i % 2 ? 'eng' : 'spa',
  name: `book_${i}`,
}));

async function libraryIdOf(title: string): Promise<string> {
  const res = await admin.gql<{ libraries: { nodes: { id: string }[] } }>(LIBRARIES, {
    f: { titleContains: title, openContentProviderId: kiwixId },
  });
  return res.data!.libraries.nodes[0]!.id;
}

async function waitForVideo(id: string, until: (v: { availability: string }) => boolean) {
  for (let i = 0; i < 100; i++) {
    const res = await admin.gql<{ video: { availability: string; title: string; lastError: string | null; attempts: number } }>(VIDEO, {
      id,
    });
    if (until(res.data!.video)) return res.data!.video;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('video did not change');
}

beforeAll(async () => {
  const tenant = await seed.tenant();
  [facilityA, facilityB] = await Promise.all([tenant.facility(), tenant.facility()]);
  const [dept, fa, fb, sA] = await Promise.all([
    tenant.departmentAdmin(),
    facilityA.facilityAdmin(),
    facilityB.facilityAdmin(),
    facilityA.staff(),
  ]);
  [residentA, residentB] = await Promise.all([facilityA.resident(), facilityB.resident()]);
  [admin, adminA, adminB, staffA] = await Promise.all([dept.api(), fa.api(), fb.api(), sA.api()]);
  [kiwix, youtube] = await Promise.all([startFakeKiwix(books), startFakeYoutube()]);
  const k = await admin.gql<{ createOpenContentProvider: { openContentProviderId: string } }>(CREATE_PROVIDER, {
    input: { kind: 'kiwix', title: `Kiwix ${randomBytes(3).toString('hex')}`, url: kiwix.url, description: 'Offline libraries' },
  });
  expect(k.errors).toBeUndefined();
  kiwixId = k.data!.createOpenContentProvider.openContentProviderId;
  const y = await admin.gql<{ createOpenContentProvider: { openContentProviderId: string } }>(CREATE_PROVIDER, {
    input: { kind: 'youtube', title: `YouTube ${randomBytes(3).toString('hex')}`, url: 'https://www.youtube.com', apiUrl: youtube.url },
  });
  youtubeId = y.data!.createOpenContentProvider.openContentProviderId;
});
afterAll(async () => {
  await Promise.all([kiwix?.close(), youtube?.close()]);
});

describe('content providers', () => {
  it('are added by tenant administrators only, with addresses and titles checked', async () => {
    const input = { kind: 'kiwix', title: `Another ${randomBytes(3).toString('hex')}`, url: kiwix.url };
    expect(codes(await adminA.gql(CREATE_PROVIDER, { input }))).toEqual(['FORBIDDEN']); // a facility administrator
    expect(codes(await (await residentA.api()).gql(CREATE_PROVIDER, { input }))).toEqual(['FORBIDDEN']);
    const bad = await admin.gql(CREATE_PROVIDER, { input: { ...input, url: 'ftp://kiwix.example.org' } });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0]!.extensions!.fieldErrors).toHaveProperty('url');
    const list = await admin.gql<{ openContentProviders: { nodes: { title: string }[] } }>(
      '{ openContentProviders(first: 10) { nodes { title } } }',
    );
    const dup = await admin.gql(CREATE_PROVIDER, { input: { ...input, title: list.data!.openContentProviders.nodes[0]!.title } });
    expect(dup.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE' });
    expect(codes(await staffA.gql('{ openContentProviders(first: 10) { nodes { title } } }'))).toEqual(['FORBIDDEN']);
  });
});

describe('the Kiwix catalog (OPDS feed from a local server)', () => {
  it('reads every page, adds the libraries once, and a second read counts them unchanged', async () => {
    const first = await admin.gql<{ syncOpenContentProvider: Record<string, unknown> }>(SYNC_KIWIX, { id: kiwixId });
    expect(first.errors).toBeUndefined();
    expect(first.data!.syncOpenContentProvider).toMatchObject({
      ok: true,
      status: 'ok',
      librariesSeen: 55,
      librariesCreated: 55,
      librariesUpdated: 0,
    });
    expect(kiwix.requests.filter((r) => r.startsWith('/catalog/v2/entries'))).toHaveLength(2); // 50 + 5, by start/count
    const again = await admin.gql<{ syncOpenContentProvider: Record<string, unknown> }>(SYNC_KIWIX, { id: kiwixId });
    expect(again.data!.syncOpenContentProvider).toMatchObject({ librariesCreated: 0, librariesUpdated: 0, librariesUnchanged: 55 });

    kiwix.books[3]!.title = 'Offline book 03, second edition';
    const changed = await admin.gql<{ syncOpenContentProvider: Record<string, unknown> }>(SYNC_KIWIX, { id: kiwixId });
    expect(changed.data!.syncOpenContentProvider).toMatchObject({ librariesCreated: 0, librariesUpdated: 1, librariesUnchanged: 54 });
    const lib = await admin.gql<{
      libraries: { nodes: { url: string; thumbnailUrl: string; language: string; provider: { kind: string } }[] };
    }>(LIBRARIES, {
      f: { titleContains: 'second edition' },
    });
    expect(lib.data!.libraries.nodes[0]).toMatchObject({
      url: `${kiwix.url}/content/book_3`,
      language: 'eng',
      provider: { kind: 'kiwix' },
    });
    expect(lib.data!.libraries.nodes[0]!.thumbnailUrl).toContain('/catalog/v2/illustration/');
  });

  it('reports a failing or malformed catalog without changing anything', async () => {
    kiwix.failNext(10);
    const failed = await admin.gql<{ syncOpenContentProvider: Record<string, unknown> }>(SYNC_KIWIX, { id: kiwixId });
    expect(failed.data!.syncOpenContentProvider).toMatchObject({ ok: false, status: 'server_error', librariesSeen: 0 });
    kiwix.failNext(0);
    kiwix.garbleNext();
    const garbled = await admin.gql<{ syncOpenContentProvider: { ok: boolean; status: string; message: string } }>(SYNC_KIWIX, {
      id: kiwixId,
    });
    expect(garbled.data!.syncOpenContentProvider).toMatchObject({ ok: false, status: 'malformed' });
    const all = await admin.gql<{ libraries: { nodes: unknown[] } }>(LIBRARIES, { f: { openContentProviderId: kiwixId }, first: 100 });
    expect(all.data!.libraries.nodes).toHaveLength(55);
    expect(codes(await adminA.gql(SYNC_KIWIX, { id: randomUUID() }))).toEqual(['NOT_FOUND']);
    expect(codes(await (await residentA.api()).gql(SYNC_KIWIX, { id: kiwixId }))).toEqual(['FORBIDDEN']);
  });
});

describe('visibility per facility', () => {
  it('hides content until an administrator shows it at a facility; each administrator only at their own', async () => {
    const welding = await libraryIdOf('Welding and Metalwork');
    const asA = await residentA.api();
    const asB = await residentB.api();
    const seen = async (who: SignedIn) =>
      (await who.gql<{ libraries: { nodes: { id: string }[] } }>(LIBRARIES, { first: 100 })).data!.libraries.nodes.map((n) => n.id);
    expect(await seen(asA)).toEqual([]);
    expect(
      (await asA.gql<{ library: unknown }>('query($id: UUID!) { library(id: $id) { id } }', { id: welding })).data!.library,
    ).toBeNull();

    const shown = await adminA.gql<{ setOpenContentVisibility: { visible: boolean; changed: boolean } }>(VISIBILITY, {
      kind: 'library',
      id: welding,
      f: facilityA.id,
      v: true,
    });
    expect(shown.data!.setOpenContentVisibility).toEqual({ visible: true, changed: true });
    const twice = await adminA.gql<{ setOpenContentVisibility: { changed: boolean } }>(VISIBILITY, {
      kind: 'library',
      id: welding,
      f: facilityA.id,
      v: true,
    });
    expect(twice.data!.setOpenContentVisibility.changed).toBe(false);
    expect(await seen(asA)).toEqual([welding]);
    expect(await seen(staffA)).toEqual([welding]);
    expect(await seen(asB)).toEqual([]);

    // Facility B's administrator may not show things at facility A; unknown facilities are not found; residents may not.
    expect(codes(await adminB.gql(VISIBILITY, { kind: 'library', id: welding, f: facilityA.id, v: false }))).toEqual(['FORBIDDEN']);
    expect(codes(await admin.gql(VISIBILITY, { kind: 'library', id: welding, f: randomUUID(), v: true }))).toEqual(['NOT_FOUND']);
    expect(codes(await asA.gql(VISIBILITY, { kind: 'library', id: welding, f: facilityA.id, v: false }))).toEqual(['FORBIDDEN']);
    expect(codes(await admin.gql(VISIBILITY, { kind: 'video', id: welding, f: facilityA.id, v: true }))).toEqual(['NOT_FOUND']); // wrong kind

    // A disabled provider's content is hidden from residents, not from administrators.
    const off = await admin.gql(
      'mutation($id: UUID!) { updateOpenContentProvider(id: $id, input: { currentlyEnabled: false }) { openContentProviderId } }',
      {
        id: kiwixId,
      },
    );
    expect(off.errors).toBeUndefined();
    expect(await seen(asA)).toEqual([]);
    expect(await seen(adminA)).toHaveLength(55);
    await admin.gql(
      'mutation($id: UUID!) { updateOpenContentProvider(id: $id, input: { currentlyEnabled: true }) { openContentProviderId } }',
      { id: kiwixId },
    );
    expect(await seen(asA)).toEqual([welding]);
  });
});

describe('videos (metadata from a local YouTube Data API stand-in)', () => {
  it('are processing until the job fetches their metadata, then available where shown', async () => {
    youtube.videos.set('dQw4w9WgXcQ', {
      title: 'Welding basics',
      channelTitle: 'Shop Class',
      description: 'MIG welding for beginners',
      duration: 'PT12M5S',
    });
    const added = await admin.gql<{ addVideo: { videoId: string; video: { availability: string } } }>(ADD_VIDEO, {
      input: { openContentProviderId: youtubeId, url: 'https://youtu.be/dQw4w9WgXcQ', facilityIds: [facilityA.id] },
    });
    expect(added.errors).toBeUndefined();
    expect(added.data!.addVideo.video.availability).toBe('processing');
    const id = added.data!.addVideo.videoId;
    const asA = await residentA.api();
    const ready = await waitForVideo(id, (v) => v.availability !== 'processing');
    expect(ready).toMatchObject({
      availability: 'available',
      title: 'Welding basics',
      channelTitle: 'Shop Class',
      durationSeconds: 725,
      attempts: 1,
    });
    expect((await asA.gql<{ video: { title: string } }>('query($id: UUID!) { video(id: $id) { title } }', { id })).data!.video.title).toBe(
      'Welding basics',
    );
    // Residents never see the administration detail.
    const detail = await asA.gql<{ video: { lastError: unknown } }>('query($id: UUID!) { video(id: $id) { lastError } }', { id });
    expect(codes(detail)).toEqual(['FORBIDDEN']);

    const dup = await admin.gql(ADD_VIDEO, {
      input: { openContentProviderId: youtubeId, url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' },
    });
    expect(dup.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE' });
    const notYoutube = await admin.gql(ADD_VIDEO, { input: { openContentProviderId: youtubeId, url: 'https://vimeo.com/12345' } });
    expect(codes(notYoutube)).toEqual(['BAD_USER_INPUT']);
    const kiwixProvider = await admin.gql(ADD_VIDEO, { input: { openContentProviderId: kiwixId, url: 'https://youtu.be/aaaaaaaaaaa' } });
    expect(kiwixProvider.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: { openContentProviderId: expect.any(String) },
    });
    expect(
      codes(await staffA.gql(ADD_VIDEO, { input: { openContentProviderId: youtubeId, url: 'https://youtu.be/bbbbbbbbbbb' } })),
    ).toEqual(['FORBIDDEN']);
  });

  it('end has_error with the reason when the metadata cannot be had, and are tried again on request', async () => {
    const added = await admin.gql<{ addVideo: { videoId: string } }>(ADD_VIDEO, {
      input: { openContentProviderId: youtubeId, url: 'https://youtu.be/xxxxxxxxxx1' },
    });
    const id = added.data!.addVideo.videoId;
    const failed = await waitForVideo(id, (v) => v.availability !== 'processing');
    expect(failed.availability).toBe('has_error');
    expect(failed.lastError).toMatch(/not_found/);
    youtube.videos.set('xxxxxxxxxx1', { title: 'Found later', channelTitle: 'C', description: '', duration: 'PT1H' });
    const retried = await admin.gql<{ retryVideo: { video: { availability: string } } }>(
      'mutation($id: UUID!) { retryVideo(id: $id) { video { availability } } }',
      { id },
    );
    expect(retried.data!.retryVideo.video.availability).toBe('processing');
    expect(await waitForVideo(id, (v) => v.availability === 'available')).toMatchObject({
      title: 'Found later',
      durationSeconds: 3600,
      attempts: 2,
    });
    const again = await admin.gql('mutation($id: UUID!) { retryVideo(id: $id) { videoId } }', { id });
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_TRANSITION' });
  });
});

describe('helpful links and favorites', () => {
  it('adds links shown where asked, keeps favorites per person, and refuses hidden items', async () => {
    const link = await adminA.gql<{ addHelpfulLink: { helpfulLinkId: string; helpfulLink: { visibleFacilities: { id: string }[] } } }>(
      ADD_LINK,
      {
        input: {
          title: 'GED practice tests',
          url: 'https://ged.example.org/practice',
          description: 'Free welding and math practice',
          facilityIds: [facilityA.id],
        },
      },
    );
    expect(link.errors).toBeUndefined();
    expect(link.data!.addHelpfulLink.helpfulLink.visibleFacilities).toEqual([{ id: facilityA.id }]);
    expect(codes(await adminA.gql(ADD_LINK, { input: { title: 'x', url: 'https://x.example.org', facilityIds: [facilityB.id] } }))).toEqual(
      ['FORBIDDEN'],
    );
    expect(codes(await adminA.gql(ADD_LINK, { input: { title: 'x', url: 'javascript:alert(1)' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await (await residentA.api()).gql(ADD_LINK, { input: { title: 'x', url: 'https://x.example.org' } }))).toEqual([
      'FORBIDDEN',
    ]);

    const asA = await residentA.api();
    const welding = await libraryIdOf('Welding and Metalwork');
    const fav = await asA.gql<{ favoriteOpenContent: { created: boolean; favorite: { kind: string; library: { title: string } } } }>(
      FAVORITE,
      {
        kind: 'library',
        id: welding,
      },
    );
    expect(fav.data!.favoriteOpenContent).toEqual({
      created: true,
      favorite: { kind: 'library', library: { title: 'Wikipedia: Welding and Metalwork' } },
    });
    const twice = await asA.gql<{ favoriteOpenContent: { created: boolean } }>(FAVORITE, { kind: 'library', id: welding });
    expect(twice.data!.favoriteOpenContent.created).toBe(false);
    await asA.gql(FAVORITE, { kind: 'helpful_link', id: link.data!.addHelpfulLink.helpfulLinkId });
    const mine = await asA.gql<{ user: { favorites: { nodes: { kind: string }[] } } }>(FAVORITES, { id: residentA.id });
    expect(mine.data!.user.favorites.nodes.map((n) => n.kind)).toEqual(['helpful_link', 'library']); // newest first
    const flagged = await asA.gql<{ libraries: { nodes: { isFavorite: boolean }[] } }>(LIBRARIES, {});
    expect(flagged.data!.libraries.nodes).toEqual([expect.objectContaining({ isFavorite: true })]);

    // Hidden at their facility: not found for resident B; someone else's favorites are not theirs to read.
    const asB = await residentB.api();
    expect(codes(await asB.gql(FAVORITE, { kind: 'library', id: welding }))).toEqual(['NOT_FOUND']);
    // Staff of the facility may see the person, but their favorites are the person's alone.
    const theirs = await staffA.gql<{ user: { favorites: unknown } }>(FAVORITES, { id: residentA.id });
    expect(theirs.data?.user?.favorites ?? null).toBeNull();
    expect(codes(theirs)).toContain('FORBIDDEN');

    // Hiding the library drops it from the resident's favorites list (the row stays for when it returns).
    await adminA.gql(VISIBILITY, { kind: 'library', id: welding, f: facilityA.id, v: false });
    const after = await asA.gql<{ user: { favorites: { nodes: { kind: string }[] } } }>(FAVORITES, { id: residentA.id });
    expect(after.data!.user.favorites.nodes.map((n) => n.kind)).toEqual(['helpful_link']);
    await adminA.gql(VISIBILITY, { kind: 'library', id: welding, f: facilityA.id, v: true });

    const removed = await adminA.gql('mutation($id: UUID!) { removeHelpfulLink(id: $id) { helpfulLinkId } }', {
      id: link.data!.addHelpfulLink.helpfulLinkId,
    });
    expect(removed.errors).toBeUndefined();
    const gone = await asA.gql<{ user: { favorites: { nodes: unknown[] } } }>(FAVORITES, { id: residentA.id });
    expect(gone.data!.user.favorites.nodes).toHaveLength(1);
  });
});

describe('one search across courses and open content', () => {
  it('ranks titles first, merges kinds, pages by rank, and shows each person only what they may see', async () => {
    await admin.gql(ADD_LINK, {
      input: {
        title: 'Welding certification guide',
        url: `https://weld.example.org/${randomBytes(3).toString('hex')}`,
        facilityIds: [facilityA.id],
      },
    });
    const asA = await residentA.api();
    type Hit = { kind: string; rank: number; node: { __typename: string; title?: string } };
    const res = await asA.gql<{ learningSearch: { edges: Hit[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(SEARCH, {
      q: 'welding',
    });
    expect(res.errors).toBeUndefined();
    const hits = res.data!.learningSearch.edges;
    expect(hits.map((h) => h.node.title).sort()).toEqual([
      'Welding basics',
      'Welding certification guide',
      'Wikipedia: Welding and Metalwork',
    ]);
    expect(new Set(hits.map((h) => h.node.__typename))).toEqual(new Set(['Library', 'Video', 'HelpfulLink']));
    expect(hits.map((h) => h.rank)).toEqual([...hits.map((h) => h.rank)].sort((a, b) => b - a));

    const page1 = await asA.gql<{ learningSearch: { edges: Hit[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(SEARCH, {
      q: 'welding',
      first: 2,
    });
    expect(page1.data!.learningSearch.pageInfo.hasNextPage).toBe(true);
    const page2 = await asA.gql<{ learningSearch: { edges: Hit[]; pageInfo: { hasNextPage: boolean } } }>(SEARCH, {
      q: 'welding',
      first: 2,
      after: page1.data!.learningSearch.pageInfo.endCursor,
    });
    expect([...page1.data!.learningSearch.edges, ...page2.data!.learningSearch.edges].map((h) => h.node.title)).toEqual(
      hits.map((h) => h.node.title),
    );
    expect(page2.data!.learningSearch.pageInfo.hasNextPage).toBe(false);

    const onlyVideos = await asA.gql<{ learningSearch: { edges: Hit[] } }>(SEARCH, { q: 'welding', kinds: ['video'] });
    expect(onlyVideos.data!.learningSearch.edges.map((h) => h.kind)).toEqual(['video']);
    // Facility B shows none of it; an administrator sees the whole catalog, hidden items included (the description-only library too).
    const asB = await residentB.api();
    expect((await asB.gql<{ learningSearch: { edges: Hit[] } }>(SEARCH, { q: 'welding' })).data!.learningSearch.edges).toEqual([]);
    const all = await admin.gql<{ learningSearch: { edges: Hit[] } }>(SEARCH, { q: 'welding', first: 50 });
    expect(all.data!.learningSearch.edges.map((h) => h.node.title)).toContain('Offline book 01');
    expect(all.data!.learningSearch.edges.at(-1)!.node.title).toBe('Offline book 01'); // description only: last
  });
});

describe('content requests', () => {
  it('residents ask, their facility’s administrators answer once, and each hears of it', async () => {
    const asA = await residentA.api();
    const ws = wsClient(asA.accessToken);
    const adminWs = wsClient(adminA.accessToken);
    const otherWs = wsClient((await residentB.api()).accessToken);
    try {
      const mine = collect<{
        contentRequestChanged: { status: string; previousStatus: string | null; request: { title: string; status: string } };
      }>(ws, 'subscription { contentRequestChanged { status previousStatus request { title status } } }');
      const staff = collect<{ contentRequestChanged: { status: string } }>(adminWs, 'subscription { contentRequestChanged { status } }');
      const other = collect<{ contentRequestChanged: unknown }>(otherWs, 'subscription { contentRequestChanged { status } }');
      await new Promise((r) => setTimeout(r, 500));

      const asked = await asA.gql<{ requestContent: { contentRequestId: string; contentRequest: { status: string } } }>(REQUEST, {
        input: { title: 'Khan Academy algebra videos', details: 'For the GED class', url: 'https://www.khanacademy.org/math/algebra' },
      });
      expect(asked.errors).toBeUndefined();
      expect(asked.data!.requestContent.contentRequest.status).toBe('open');
      const id = asked.data!.requestContent.contentRequestId;
      expect(codes(await asA.gql(REQUEST, { input: { title: '  ' } }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await staffA.gql(REQUEST, { input: { title: 'Something' } }))).toEqual(['FORBIDDEN']);

      // Who sees it: the requester and facility A's administrator; not facility B's, nor another resident.
      const listOf = async (who: SignedIn) =>
        (
          await who.gql<{ contentRequests: { nodes: { id: string }[] } }>(
            '{ contentRequests(first: 20, filter: { status: open }) { nodes { id } } }',
          )
        ).data?.contentRequests.nodes.map((n) => n.id) ?? null;
      expect(await listOf(asA)).toEqual([id]);
      expect(await listOf(adminA)).toContain(id);
      expect(await listOf(adminB)).toEqual([]);
      expect(await listOf(await residentB.api())).toEqual([]);

      expect(codes(await adminB.gql(RESOLVE, { id, s: 'declined' }))).toEqual(['NOT_FOUND']);
      expect(codes(await asA.gql(RESOLVE, { id, s: 'fulfilled' }))).toEqual(['FORBIDDEN']);
      const done = await adminA.gql<{
        resolveContentRequest: { contentRequest: { status: string; resolutionNote: string; resolvedBy: { id: string } } };
      }>(RESOLVE, {
        id,
        s: 'fulfilled',
        n: 'Added to the library list',
      });
      expect(done.data!.resolveContentRequest.contentRequest).toMatchObject({
        status: 'fulfilled',
        resolutionNote: 'Added to the library list',
        resolvedBy: { id: adminA.userId },
      });
      const again = await adminA.gql(RESOLVE, { id, s: 'declined' });
      expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_TRANSITION' });

      await Promise.all([mine.waitFor(2), staff.waitFor(2)]);
      expect(mine.results.map((r) => r.data!.contentRequestChanged)).toEqual([
        // The request is read as it is at delivery.
        { status: 'open', previousStatus: null, request: expect.objectContaining({ title: 'Khan Academy algebra videos' }) },
        { status: 'fulfilled', previousStatus: 'open', request: { title: 'Khan Academy algebra videos', status: 'fulfilled' } },
      ]);
      await new Promise((r) => setTimeout(r, 300));
      expect(other.results).toEqual([]);
      [mine, staff, other].forEach((s) => s.stop());
    } finally {
      await Promise.all([ws.dispose(), adminWs.dispose(), otherWs.dispose()]);
    }
  });
});
