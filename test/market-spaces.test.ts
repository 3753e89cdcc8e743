import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codes } from './support/client.ts';
import { seed, type SeededPerson, type SeededTenant, type SignedIn } from './support/seed.ts';

// Virtual spaces through the gateway (documents in the Mongo stand-in): create, update, list; place,
// move and remove assets by the access control list, within the space's bounds, only assets one may use.

const SPACE = `spaceId space { id name spaceType canEdit owner { id }
  geometryData { coordinates { x y z } dimensions { width height depth } }
  assets { assetId asset { id } position { x y z } rotation { x y z } scale { x y z } placedBy { id } }
  accessControl { isPublic allowedUsers { id } allowedGroups editors { id } } }`;
const CREATE = `mutation($input: CreateVirtualSpaceInput!) { createVirtualSpace(input: $input) { ${SPACE} } }`;
const UPDATE = `mutation($id: UUID!, $input: UpdateVirtualSpaceInput!) { updateVirtualSpace(id: $id, input: $input) { ${SPACE} } }`;
const PLACE = `mutation($spaceId: UUID!, $input: PlaceAssetInput!) { placeAssetInSpace(spaceId: $spaceId, input: $input) { ${SPACE} } }`;
const MOVE = `mutation($spaceId: UUID!, $input: MoveAssetInput!) { moveAssetInSpace(spaceId: $spaceId, input: $input) { ${SPACE} } }`;
const REMOVE = `mutation($spaceId: UUID!, $assetId: UUID!) { removeAssetFromSpace(spaceId: $spaceId, assetId: $assetId) { spaceId space { assets { assetId } } } }`;
const READ = `query($id: UUID!) { virtualSpace(id: $id) { id canEdit assets { assetId } accessControl { isPublic } } }`;
const LIST = `query($filter: VirtualSpaceFilter) { virtualSpaces(filter: $filter, first: 100) { nodes { id } } }`;

type Placed = {
  assetId: string;
  asset: { id: string } | null;
  position: { x: number; y: number; z: number };
  rotation: unknown;
  scale: unknown;
};
type Space = { id: string; canEdit: boolean; assets: Placed[]; accessControl: unknown; [k: string]: unknown };
const spaceOf = (res: { data?: Record<string, unknown> | null }) =>
  (Object.values(res.data ?? {})[0] as { space: Space } | null)?.space ?? null;

let tenant: SeededTenant;
let owner: SignedIn, editor: SignedIn, visitor: SignedIn, stranger: SignedIn, analyst: SignedIn, outsider: SignedIn, admin: SignedIn;
let ownerP: SeededPerson, editorP: SeededPerson, visitorP: SeededPerson, strangerP: SeededPerson, outsiderP: SeededPerson;
let mongo: MongoClient;
const spaces = () => mongo.db('pathway_market').collection<{ _id: string; assets: { assetId: string }[] }>('virtual_spaces');

const gallery = (over: Record<string, unknown> = {}) => ({
  input: {
    name: 'Second Chances Gallery',
    description: 'Art from the North Ridge program.',
    spaceType: 'gallery',
    geometryData: { coordinates: { x: 100, y: 0, z: -40 }, dimensions: { width: 20, height: 5, depth: 10 } },
    accessControl: { isPublic: false, allowedUsers: [visitorP.id], allowedGroups: [], editors: [editorP.id] },
    ...over,
  },
});
async function newGallery() {
  const space = spaceOf(await owner.gql(CREATE, gallery()));
  return space!.id;
}

beforeAll(async () => {
  tenant = await seed.tenant();
  const o = await seed.tenant();
  const [f, of] = await Promise.all([tenant.facility(), o.facility()]);
  [ownerP, editorP, visitorP, strangerP, outsiderP] = await Promise.all([
    f.resident(),
    f.resident(),
    f.staff(),
    f.resident(),
    of.resident(),
  ]);
  [owner, editor, visitor, stranger, analyst, outsider, admin] = await Promise.all([
    ownerP.api(),
    editorP.api(),
    visitorP.api(),
    strangerP.api(),
    tenant.analyst().then((p) => p.api()),
    outsiderP.api(),
    tenant.departmentAdmin().then((p) => p.api()),
  ]);
  mongo = await MongoClient.connect(inject('mongoUrl'));
}, 120_000);
afterAll(async () => {
  await mongo.close();
});

describe('virtual spaces (Mongo stand-in)', () => {
  it('a resident makes a private gallery with seed 004 geometry and access control; who may enter is the list', async () => {
    const created = spaceOf(await owner.gql(CREATE, gallery()))!;
    expect(created).toMatchObject({
      name: 'Second Chances Gallery',
      spaceType: 'gallery',
      canEdit: true,
      owner: { id: ownerP.id },
      geometryData: { coordinates: { x: 100, y: 0, z: -40 }, dimensions: { width: 20, height: 5, depth: 10 } },
      assets: [],
      accessControl: { isPublic: false, allowedUsers: [{ id: visitorP.id }], allowedGroups: [], editors: [{ id: editorP.id }] },
    });
    // The allowed staff member enters, may not edit, and does not see the list (a denied field stays local).
    const seen = await visitor.gql<{ virtualSpace: Space }>(READ, { id: created.id });
    expect(seen.data!.virtualSpace).toMatchObject({ id: created.id, canEdit: false, accessControl: null });
    expect(codes(seen)).toEqual(['FORBIDDEN']);
    expect((await editor.gql<{ virtualSpace: Space }>(READ, { id: created.id })).data!.virtualSpace.canEdit).toBe(true);
    for (const who of [stranger, outsider, analyst])
      expect((await who.gql<{ virtualSpace: Space | null }>(READ, { id: created.id })).data!.virtualSpace).toBeNull();
    // The department administrator manages assets: sees it, and may edit.
    expect((await admin.gql<{ virtualSpace: Space }>(READ, { id: created.id })).data!.virtualSpace.canEdit).toBe(true);
    // Made public: residents of the tenant find it in the list; the analyst (no market.asset.read) still does not.
    await owner.gql(UPDATE, { id: created.id, input: { accessControl: { isPublic: true, editors: [editorP.id] } } });
    const listed = async (who: SignedIn, filter: Record<string, unknown> = {}) =>
      (await who.gql<{ virtualSpaces: { nodes: { id: string }[] } }>(LIST, { filter })).data!.virtualSpaces.nodes.map((n) => n.id);
    expect(await listed(stranger)).toContain(created.id);
    expect(await listed(stranger, { editable: true })).not.toContain(created.id);
    expect(await listed(editor, { editable: true, spaceType: 'gallery' })).toContain(created.id);
    expect(await listed(analyst)).not.toContain(created.id);
    expect(await listed(outsider)).not.toContain(created.id);
    const mine = await stranger.gql<{ user: unknown }>(`query($id: UUID!) { user(id: $id) { virtualSpaces { nodes { id } } } }`, {
      id: ownerP.id,
    });
    expect(JSON.stringify(mine.data)).toContain(created.id);
  });

  it('the owner and editors place, move and remove assets they may use, inside the bounds', async () => {
    const spaceId = await newGallery();
    const [ownArt, ownersArt, strangersArt] = await Promise.all([
      tenant.asset(editorP),
      tenant.asset(ownerP),
      tenant.asset(strangerP, { listed: true }),
    ]);
    const placed = spaceOf(await editor.gql(PLACE, { spaceId, input: { assetId: ownArt, position: { x: 20, y: 0, z: 10 } } }))!;
    expect(placed.assets).toEqual([
      expect.objectContaining({
        assetId: ownArt,
        asset: { id: ownArt },
        position: { x: 20, y: 0, z: 10 },
        rotation: { x: 0, y: 0, z: 0 },
        scale: { x: 1, y: 1, z: 1 },
      }),
    ]);
    // The editor may also hang the owner's art; not a third person's, even a listed one they can see.
    const input = { assetId: ownersArt, position: { x: 2.5, y: 1, z: 3 }, rotation: { x: 0, y: 90, z: 0 }, scale: { x: 2, y: 2, z: 2 } };
    const hung = spaceOf(await editor.gql(PLACE, { spaceId, input }))!.assets;
    // The owner's badge is private: placing it reveals nothing to the editor (the asset reads as null for them).
    expect(hung.map((a) => [a.assetId, a.asset?.id ?? null])).toEqual([
      [ownArt, ownArt],
      [ownersArt, null],
    ]);
    expect(codes(await editor.gql(PLACE, { spaceId, input: { assetId: strangersArt, position: { x: 1, y: 1, z: 1 } } }))).toEqual([
      'FORBIDDEN',
    ]);
    const again = await owner.gql(PLACE, { spaceId, input });
    expect(again.errors?.map((e) => e.extensions?.reason)).toEqual(['ALREADY_IN_STATE']);
    const moved = spaceOf(await owner.gql(MOVE, { spaceId, input: { assetId: ownersArt, position: { x: 19, y: 4, z: 9 } } }))!;
    expect(moved.assets.find((a) => a.assetId === ownersArt)).toMatchObject({
      position: { x: 19, y: 4, z: 9 },
      rotation: { x: 0, y: 90, z: 0 },
    });
    const removed = await editor.gql<{ removeAssetFromSpace: { space: { assets: { assetId: string }[] } } }>(REMOVE, {
      spaceId,
      assetId: ownArt,
    });
    expect(removed.data!.removeAssetFromSpace.space.assets.map((a) => a.assetId)).toEqual([ownersArt]);
    expect(codes(await editor.gql(REMOVE, { spaceId, assetId: ownArt }))).toEqual(['NOT_FOUND']);
  });

  it('refuses positions outside the space, bad transforms, people not on the list and other tenants; nothing changes', async () => {
    const spaceId = await newGallery();
    const art = await tenant.asset(ownerP);
    const place = (position: Record<string, number>, over: Record<string, unknown> = {}) => ({
      spaceId,
      input: { assetId: art, position, ...over },
    });
    for (const [position, field] of [
      [{ x: 20.01, y: 0, z: 0 }, 'position.x'],
      [{ x: 0, y: -1, z: 0 }, 'position.y'],
      [{ x: 0, y: 0, z: 11 }, 'position.z'],
    ] as const) {
      const res = await owner.gql(PLACE, place(position));
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(Object.keys(res.errors![0]!.extensions!.fieldErrors as object)).toEqual([field]);
    }
    for (const over of [{ scale: { x: 0, y: 1, z: 1 } }, { rotation: { x: 400, y: 0, z: 0 } }, { assetId: 'nope' }])
      expect(codes(await owner.gql(PLACE, place({ x: 1, y: 1, z: 1 }, over)))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await visitor.gql(PLACE, place({ x: 1, y: 1, z: 1 })))).toEqual(['FORBIDDEN']);
    expect(codes(await stranger.gql(PLACE, place({ x: 1, y: 1, z: 1 })))).toEqual(['NOT_FOUND']);
    expect(codes(await outsider.gql(PLACE, place({ x: 1, y: 1, z: 1 })))).toEqual(['NOT_FOUND']);
    expect(codes(await owner.gql(PLACE, place({ x: 1, y: 1, z: 1 }, { assetId: randomUUID() })))).toEqual(['NOT_FOUND']);
    expect((await spaces().findOne({ _id: spaceId }))!.assets).toEqual([]);
    // Placed at the far corner: shrinking the space would strand it; moving it outside is refused too.
    await owner.gql(PLACE, place({ x: 20, y: 5, z: 10 }));
    const shrink = await owner.gql(UPDATE, { id: spaceId, input: { geometryData: { dimensions: { width: 10, height: 5, depth: 10 } } } });
    expect(codes(shrink)).toEqual(['BAD_USER_INPUT']);
    expect(codes(await owner.gql(MOVE, { spaceId, input: { assetId: art, position: { x: 21, y: 0, z: 0 } } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await editor.gql(UPDATE, { id: spaceId, input: { name: 'Mine now' } }))).toEqual(['FORBIDDEN']);
    const space = (await spaces().findOne({ _id: spaceId })) as unknown as {
      name: string;
      assets: Placed[];
      geometryData: { dimensions: { width: number } };
    };
    expect([space.name, space.geometryData.dimensions.width, space.assets.map((a) => a.position)]).toEqual([
      'Second Chances Gallery',
      20,
      [{ x: 20, y: 5, z: 10 }],
    ]);
  });

  it('creating needs market.space.create and a valid shape and list', async () => {
    for (const who of [visitor, analyst]) expect(codes(await who.gql(CREATE, gallery()))).toEqual(['FORBIDDEN']);
    const before = await spaces().countDocuments({});
    for (const [over, code] of [
      [{ spaceType: 'Art Gallery' }, 'BAD_USER_INPUT'],
      [{ name: '' }, 'BAD_USER_INPUT'],
      [{ geometryData: { dimensions: { width: 0, height: 1, depth: 1 } } }, 'BAD_USER_INPUT'],
      [{ accessControl: { isPublic: false, allowedGroups: ['wizard'] } }, 'BAD_USER_INPUT'],
      [{ accessControl: { isPublic: false, editors: [outsiderP.id] } }, 'NOT_FOUND'],
      [{ accessControl: { isPublic: false, allowedUsers: [randomUUID()] } }, 'NOT_FOUND'],
    ] as const)
      expect([over, codes(await owner.gql(CREATE, gallery(over)))]).toEqual([over, [code]]);
    expect(await spaces().countDocuments({})).toBe(before);
    // allowedGroups lets a role in: staff of the tenant enter a space open to staff.
    const forStaff = spaceOf(await owner.gql(CREATE, gallery({ accessControl: { isPublic: false, allowedGroups: ['staff'] } })))!;
    expect((await visitor.gql<{ virtualSpace: Space | null }>(READ, { id: forStaff.id })).data!.virtualSpace).not.toBeNull();
    expect((await stranger.gql<{ virtualSpace: Space | null }>(READ, { id: forStaff.id })).data!.virtualSpace).toBeNull();
  });
});
