import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from './support/client.ts';
import { canvasData, startFakeCanvas, type FakeCanvas } from './support/canvas-server.ts';
import { seed, type SeededFacility, type SignedIn } from './support/seed.ts';

// The category tree (seed 001, in learning's MongoDB: the tests' mongo-wire stand-in) through the
// gateway: tenant administrators create, rename, move (cycles refused), reorder and archive
// categories and place courses, libraries, videos and links in them; everyone of the tenant reads
// the tree, and lists filter by a category (and what lies below it), each item still under its own access.
const CREATE = `mutation($input: CreateCategoryInput!) { createCategory(input: $input) { categoryId category { name depth position } } }`;
const UPDATE = `mutation($id: UUID!, $input: UpdateCategoryInput!) { updateCategory(id: $id, input: $input) { category { name description } } }`;
const MOVE = `mutation($id: UUID!, $parentId: UUID, $position: Int) { moveCategory(id: $id, parentId: $parentId, position: $position) {
  category { name position depth parent { name } path { name } } } }`;
const ARCHIVE = `mutation($id: UUID!) { archiveCategory(id: $id) { category { archived archivedAt } } }`;
const ASSIGN = `mutation($c: UUID!, $kind: CategoryItemKind!, $id: UUID!) { assignToCategory(categoryId: $c, kind: $kind, id: $id) { created } }`;
const UNASSIGN = `mutation($c: UUID!, $kind: CategoryItemKind!, $id: UUID!) { unassignFromCategory(categoryId: $c, kind: $kind, id: $id) { removed } }`;
const ROOTS = `query($parent: UUID, $all: Boolean, $first: Int, $after: String) { categories(parentId: $parent, includeArchived: $all, first: $first, after: $after) {
  nodes { id name position archived } pageInfo { hasNextPage endCursor } } }`;
const CATEGORY = `query($id: UUID!) { category(id: $id) { name depth parent { name } path { name } children(first: 10) { nodes { name } }
  items(first: 10) { edges { kind node { __typename ... on HelpfulLink { title } ... on Course { name } } } } } }`;
const LINKS = `query($c: UUID) { helpfulLinks(first: 20, filter: { categoryId: $c }) { nodes { title } } }`;
const COURSES = `query($c: UUID) { courses(first: 20, filter: { categoryId: $c }) { nodes { name } } }`;

let admin: SignedIn;
let facilityAdmin: SignedIn;
let staff: SignedIn;
let resident: SignedIn;
let otherAdmin: SignedIn;
let facility: SeededFacility;
let fake: FakeCanvas;
let shownLink: string;
let hiddenLink: string;
let courseId: string;
const ids: Record<string, string> = {};

const names = (res: { data?: { categories: { nodes: { name: string }[] } } | null }) => res.data!.categories.nodes.map((n) => n.name);

async function create(name: string, parentId?: string, position?: number): Promise<string> {
  const res = await admin.gql<{ createCategory: { categoryId: string } }>(CREATE, { input: { name, parentId, position } });
  expect(res.errors).toBeUndefined();
  return res.data!.createCategory.categoryId;
}

beforeAll(async () => {
  const tenant = await seed.tenant();
  const other = await seed.tenant();
  facility = await tenant.facility();
  const [dept, fa, st, re, od] = await Promise.all([
    tenant.departmentAdmin(),
    facility.facilityAdmin(),
    facility.staff(),
    facility.resident(),
    other.departmentAdmin(),
  ]);
  [admin, facilityAdmin, staff, resident, otherAdmin] = await Promise.all([dept.api(), fa.api(), st.api(), re.api(), od.api()]);
  const link = async (title: string, facilityIds: string[]) =>
    (
      await admin.gql<{ addHelpfulLink: { helpfulLinkId: string } }>(
        `mutation($input: AddHelpfulLinkInput!) { addHelpfulLink(input: $input) { helpfulLinkId } }`,
        { input: { title, url: `https://${randomBytes(4).toString('hex')}.example.org`, facilityIds } },
      )
    ).data!.addHelpfulLink.helpfulLinkId;
  [shownLink, hiddenLink] = await Promise.all([link('Welding safety sheet', [facility.id]), link('Staff-only draft', [])]);

  const data = canvasData({ courses: 1, students: 1, assignments: 1 });
  data.courses[0]!.name = 'Introduction to Welding';
  fake = await startFakeCanvas(data);
  const reg = await admin.gql<{ registerProviderPlatform: { providerPlatformId: string } }>(
    `mutation($input: RegisterProviderPlatformInput!) { registerProviderPlatform(input: $input) { providerPlatformId } }`,
    {
      input: {
        name: `Canvas ${randomBytes(4).toString('hex')}`,
        type: 'canvas_cloud',
        baseUrl: fake.url,
        accountId: '1',
        credentials: { accessKey: fake.token },
      },
    },
  );
  const platformId = reg.data!.registerProviderPlatform.providerPlatformId;
  const task = await admin.gql<{ syncProviderPlatform: { taskId: string } }>(
    `mutation($id: UUID!) { syncProviderPlatform(id: $id) { taskId } }`,
    {
      id: platformId,
    },
  );
  for (let i = 0; i < 200; i++) {
    const t = await admin.gql<{ syncTask: { status: string } }>(`query($id: UUID!) { syncTask(id: $id) { status } }`, {
      id: task.data!.syncProviderPlatform.taskId,
    });
    if (t.data!.syncTask.status === 'completed') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const courses = await admin.gql<{ courses: { nodes: { id: string }[] } }>(
    `query($p: UUID) { courses(first: 5, filter: { providerPlatformId: $p }) { nodes { id } } }`,
    { p: platformId },
  );
  courseId = courses.data!.courses.nodes[0]!.id;
});
afterAll(() => fake?.close());

describe('category tree (MongoDB: the mongo-wire stand-in)', () => {
  it('creates roots and children in order, with parent, children, path and depth', async () => {
    ids.trades = await create('Trades');
    ids.academics = await create('Academics', undefined, 0); // before Trades
    ids.welding = await create('Welding', ids.trades);
    ids.safety = await create('Safety', ids.welding);
    ids.carpentry = await create('Carpentry', ids.trades);

    expect(names(await resident.gql(ROOTS, {}))).toEqual(['Academics', 'Trades']);
    const safety = await resident.gql<{ category: Record<string, unknown> }>(CATEGORY, { id: ids.safety });
    expect(safety.errors).toBeUndefined();
    expect(safety.data!.category).toMatchObject({
      name: 'Safety',
      depth: 3,
      parent: { name: 'Welding' },
      path: [{ name: 'Trades' }, { name: 'Welding' }, { name: 'Safety' }],
    });
    const trades = await staff.gql<{ category: { children: { nodes: { name: string }[] } } }>(CATEGORY, { id: ids.trades });
    expect(trades.data!.category.children.nodes.map((n) => n.name)).toEqual(['Welding', 'Carpentry']);

    // Pages of siblings.
    const p1 = await resident.gql<{ categories: { nodes: { name: string }[]; pageInfo: { endCursor: string; hasNextPage: boolean } } }>(
      ROOTS,
      {
        first: 1,
      },
    );
    expect(p1.data!.categories.pageInfo.hasNextPage).toBe(true);
    expect(names(await resident.gql(ROOTS, { first: 1, after: p1.data!.categories.pageInfo.endCursor }))).toEqual(['Trades']);

    // Another tenant sees none of it.
    const foreign = await otherAdmin.gql<{ category: unknown }>(CATEGORY, { id: ids.safety });
    expect(foreign.data!.category).toBeNull();
    expect(names(await otherAdmin.gql(ROOTS, {}))).toEqual([]);
  });

  it('createCategory refuses wrong roles and bad input, changing nothing', async () => {
    const input = { name: 'Plumbing', parentId: ids.trades };
    expect(codes(await facilityAdmin.gql(CREATE, { input }))).toEqual(['FORBIDDEN']); // tenant administrators only
    expect(codes(await resident.gql(CREATE, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await staff.gql(CREATE, { input }))).toEqual(['FORBIDDEN']);
    const blank = await admin.gql(CREATE, { input: { name: '   ' } });
    expect(blank.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { name: expect.any(String) } });
    expect(codes(await admin.gql(CREATE, { input: { name: 'x'.repeat(121) } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await admin.gql(CREATE, { input: { name: 'Plumbing', position: -1 } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await admin.gql(CREATE, { input: { name: 'Plumbing', parentId: randomUUID() } }))).toEqual(['NOT_FOUND']);
    expect(codes(await otherAdmin.gql(CREATE, { input: { name: 'Plumbing', parentId: ids.trades } }))).toEqual(['NOT_FOUND']);
    const dup = await admin.gql(CREATE, { input: { name: ' welding ', parentId: ids.trades } }); // names compare trimmed, case-insensitively
    expect(dup.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE' });
    const trades = await admin.gql<{ category: { children: { nodes: { name: string }[] } } }>(CATEGORY, { id: ids.trades });
    expect(trades.data!.category.children.nodes.map((n) => n.name)).toEqual(['Welding', 'Carpentry']);
    expect(names(await admin.gql(ROOTS, {}))).toEqual(['Academics', 'Trades']);
  });

  it('updateCategory renames; refuses wrong roles, a taken name and an empty change', async () => {
    const res = await admin.gql<{ updateCategory: { category: { name: string; description: string } } }>(UPDATE, {
      id: ids.carpentry,
      input: { name: 'Carpentry & Joinery', description: 'Wood' },
    });
    expect(res.data!.updateCategory.category).toEqual({ name: 'Carpentry & Joinery', description: 'Wood' });
    expect(codes(await facilityAdmin.gql(UPDATE, { id: ids.carpentry, input: { name: 'x' } }))).toEqual(['FORBIDDEN']);
    expect(codes(await resident.gql(UPDATE, { id: ids.carpentry, input: { name: 'x' } }))).toEqual(['FORBIDDEN']);
    const dup = await admin.gql(UPDATE, { id: ids.carpentry, input: { name: 'WELDING' } });
    expect(dup.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE' });
    expect(codes(await admin.gql(UPDATE, { id: ids.carpentry, input: {} }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await admin.gql(UPDATE, { id: randomUUID(), input: { name: 'x' } }))).toEqual(['NOT_FOUND']);
    const after = await admin.gql<{ category: { name: string } }>(CATEGORY, { id: ids.carpentry });
    expect(after.data!.category.name).toBe('Carpentry & Joinery');
  });

  it('moveCategory moves subtrees, reorders siblings and refuses cycles', async () => {
    // Welding (with Safety below) to the roots, first.
    const moved = await admin.gql<{ moveCategory: { category: Record<string, unknown> } }>(MOVE, {
      id: ids.welding,
      parentId: null,
      position: 0,
    });
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.moveCategory.category).toMatchObject({
      name: 'Welding',
      position: 0,
      depth: 1,
      parent: null,
      path: [{ name: 'Welding' }],
    });
    const safety = await resident.gql<{ category: { path: { name: string }[]; depth: number } }>(CATEGORY, { id: ids.safety });
    expect(safety.data!.category).toMatchObject({ depth: 2, path: [{ name: 'Welding' }, { name: 'Safety' }] });
    expect(names(await resident.gql(ROOTS, {}))).toEqual(['Welding', 'Academics', 'Trades']);

    // Reorder among the same siblings: Welding last.
    await admin.gql(MOVE, { id: ids.welding, position: 2 });
    expect(names(await resident.gql(ROOTS, {}))).toEqual(['Academics', 'Trades', 'Welding']);

    // Cycles: under itself, under its own child.
    const self = await admin.gql(MOVE, { id: ids.welding, parentId: ids.welding });
    expect(self.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: { parentId: expect.any(String) } });
    const below = await admin.gql(MOVE, { id: ids.welding, parentId: ids.safety });
    expect(below.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: { parentId: expect.stringContaining('cycle') },
    });
    expect(codes(await admin.gql(MOVE, { id: ids.welding, position: -3 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await admin.gql(MOVE, { id: ids.welding, parentId: randomUUID() }))).toEqual(['NOT_FOUND']);
    expect(codes(await facilityAdmin.gql(MOVE, { id: ids.welding, position: 0 }))).toEqual(['FORBIDDEN']);
    expect(codes(await resident.gql(MOVE, { id: ids.welding, position: 0 }))).toEqual(['FORBIDDEN']);
    expect(codes(await otherAdmin.gql(MOVE, { id: ids.welding, position: 0 }))).toEqual(['NOT_FOUND']);
    expect(names(await resident.gql(ROOTS, {}))).toEqual(['Academics', 'Trades', 'Welding']);

    // Back under Trades, first; a name taken under the new parent is refused.
    await admin.gql(MOVE, { id: ids.welding, parentId: ids.trades, position: 0 });
    const trades = await resident.gql<{ category: { children: { nodes: { name: string }[] } } }>(CATEGORY, { id: ids.trades });
    expect(trades.data!.category.children.nodes.map((n) => n.name)).toEqual(['Welding', 'Carpentry & Joinery']);
    const twin = await create('Safety', ids.trades);
    const clash = await admin.gql(MOVE, { id: twin, parentId: ids.welding });
    expect(clash.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE' });
    ids.twin = twin;
  });

  it('archiveCategory archives a leaf; refuses one with active children, wrong roles and twice', async () => {
    const busy = await admin.gql(ARCHIVE, { id: ids.welding });
    expect(busy.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'IN_USE' });
    expect(codes(await facilityAdmin.gql(ARCHIVE, { id: ids.twin }))).toEqual(['FORBIDDEN']);
    expect(codes(await resident.gql(ARCHIVE, { id: ids.twin }))).toEqual(['FORBIDDEN']);
    const res = await admin.gql<{ archiveCategory: { category: { archived: boolean; archivedAt: string } } }>(ARCHIVE, { id: ids.twin });
    expect(res.data!.archiveCategory.category.archived).toBe(true);
    expect((await admin.gql(ARCHIVE, { id: ids.twin })).errors![0]!.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_IN_STATE',
    });
    // Residents no longer see it; administrators do when they ask.
    expect((await resident.gql<{ category: unknown }>(CATEGORY, { id: ids.twin })).data!.category).toBeNull();
    expect(names(await resident.gql(ROOTS, { parent: ids.trades }))).toEqual(['Welding', 'Carpentry & Joinery']);
    expect(names(await admin.gql(ROOTS, { parent: ids.trades, all: true }))).toContain('Safety');
    // Nothing new goes under an archived category; its name is free again among active siblings.
    const under = await admin.gql(CREATE, { input: { name: 'x', parentId: ids.twin } });
    expect(under.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ARCHIVED' });
    expect(codes(await admin.gql(UPDATE, { id: ids.twin, input: { name: 'y' } }))).toEqual(['CONFLICT']);
    expect(codes(await admin.gql(ARCHIVE, { id: randomUUID() }))).toEqual(['NOT_FOUND']);
  });
});

describe('content in categories (MongoDB: the mongo-wire stand-in)', () => {
  it('places links and courses; lists filter by a category and what lies below it, each item under its own access', async () => {
    const placed = await admin.gql<{ assignToCategory: { created: boolean } }>(ASSIGN, {
      c: ids.safety,
      kind: 'helpful_link',
      id: shownLink,
    });
    expect(placed.data!.assignToCategory.created).toBe(true);
    const again = await admin.gql<{ assignToCategory: { created: boolean } }>(ASSIGN, {
      c: ids.safety,
      kind: 'helpful_link',
      id: shownLink,
    });
    expect(again.data!.assignToCategory.created).toBe(false);
    await admin.gql(ASSIGN, { c: ids.safety, kind: 'helpful_link', id: hiddenLink });
    await admin.gql(ASSIGN, { c: ids.welding, kind: 'course', id: courseId });

    // The resident sees the link shown at their facility, not the hidden one.
    const items = await resident.gql<{ category: { items: { edges: { kind: string; node: { __typename: string; title?: string } }[] } } }>(
      CATEGORY,
      {
        id: ids.safety,
      },
    );
    expect(items.errors).toBeUndefined();
    expect(items.data!.category.items.edges).toEqual([
      { kind: 'helpful_link', node: { __typename: 'HelpfulLink', title: 'Welding safety sheet' } },
    ]);
    const adminItems = await admin.gql<{ category: { items: { edges: unknown[] } } }>(CATEGORY, { id: ids.safety });
    expect(adminItems.data!.category.items.edges).toHaveLength(2);

    // Filtering by Trades takes in Welding and Safety below it.
    const links = await resident.gql<{ helpfulLinks: { nodes: { title: string }[] } }>(LINKS, { c: ids.trades });
    expect(links.data!.helpfulLinks.nodes.map((n) => n.title)).toEqual(['Welding safety sheet']);
    const adminLinks = await admin.gql<{ helpfulLinks: { nodes: { title: string }[] } }>(LINKS, { c: ids.trades });
    expect(adminLinks.data!.helpfulLinks.nodes.map((n) => n.title).sort()).toEqual(['Staff-only draft', 'Welding safety sheet']);
    expect((await resident.gql<{ helpfulLinks: { nodes: unknown[] } }>(LINKS, { c: ids.academics })).data!.helpfulLinks.nodes).toEqual([]);
    const courses = await resident.gql<{ courses: { nodes: { name: string }[] } }>(COURSES, { c: ids.trades });
    expect(courses.data!.courses.nodes.map((n) => n.name)).toEqual(['Introduction to Welding']);
    expect((await resident.gql<{ courses: { nodes: unknown[] } }>(COURSES, { c: ids.safety })).data!.courses.nodes).toEqual([]);
    expect(codes(await resident.gql(LINKS, { c: randomUUID() }))).toEqual(['NOT_FOUND']);
    expect(codes(await otherAdmin.gql(LINKS, { c: ids.trades }))).toEqual(['NOT_FOUND']);
  });

  it('assignToCategory refuses wrong roles, unknown or wrong-kind items and archived categories', async () => {
    expect(codes(await facilityAdmin.gql(ASSIGN, { c: ids.academics, kind: 'helpful_link', id: shownLink }))).toEqual(['FORBIDDEN']);
    expect(codes(await resident.gql(ASSIGN, { c: ids.academics, kind: 'helpful_link', id: shownLink }))).toEqual(['FORBIDDEN']);
    expect(codes(await admin.gql(ASSIGN, { c: ids.academics, kind: 'library', id: shownLink }))).toEqual(['NOT_FOUND']);
    expect(codes(await admin.gql(ASSIGN, { c: ids.academics, kind: 'course', id: randomUUID() }))).toEqual(['NOT_FOUND']);
    expect(codes(await admin.gql(ASSIGN, { c: randomUUID(), kind: 'helpful_link', id: shownLink }))).toEqual(['NOT_FOUND']);
    expect(codes(await admin.gql(ASSIGN, { c: ids.academics, kind: 'podcast', id: shownLink }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await otherAdmin.gql(ASSIGN, { c: ids.academics, kind: 'helpful_link', id: shownLink }))).toEqual(['NOT_FOUND']);
    const archived = await admin.gql(ASSIGN, { c: ids.twin, kind: 'helpful_link', id: shownLink });
    expect(archived.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ARCHIVED' });
    const academics = await admin.gql<{ category: { items: { edges: unknown[] } } }>(CATEGORY, { id: ids.academics });
    expect(academics.data!.category.items.edges).toEqual([]);
  });

  it('unassignFromCategory takes an item out once; refuses wrong roles', async () => {
    expect(codes(await facilityAdmin.gql(UNASSIGN, { c: ids.safety, kind: 'helpful_link', id: hiddenLink }))).toEqual(['FORBIDDEN']);
    expect(codes(await resident.gql(UNASSIGN, { c: ids.safety, kind: 'helpful_link', id: hiddenLink }))).toEqual(['FORBIDDEN']);
    expect(codes(await admin.gql(UNASSIGN, { c: randomUUID(), kind: 'helpful_link', id: hiddenLink }))).toEqual(['NOT_FOUND']);
    const first = await admin.gql<{ unassignFromCategory: { removed: boolean } }>(UNASSIGN, {
      c: ids.safety,
      kind: 'helpful_link',
      id: hiddenLink,
    });
    expect(first.data!.unassignFromCategory.removed).toBe(true);
    const second = await admin.gql<{ unassignFromCategory: { removed: boolean } }>(UNASSIGN, {
      c: ids.safety,
      kind: 'helpful_link',
      id: hiddenLink,
    });
    expect(second.data!.unassignFromCategory.removed).toBe(false);
    const adminItems = await admin.gql<{ category: { items: { edges: unknown[] } } }>(CATEGORY, { id: ids.safety });
    expect(adminItems.data!.category.items.edges).toHaveLength(1);
  });
});
