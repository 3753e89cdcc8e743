import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codes } from './support/client.ts';
import { seed, type SeededPerson, type SignedIn } from './support/seed.ts';

// Business models (templates) and business projects through the gateway, documents in the Mongo
// stand-in: create from a model, milestones and financials (profit/loss computed by the service),
// status moves, archive; who sees and changes them (the owner; administrators of the reach); the
// project event (document outbox) and what bad input is refused with nothing stored.

const MODEL = `mutation($input: BusinessModelInput!) { createBusinessModel(input: $input) { modelId model { id name category initialInvestment currency
  revenueStreams { name estimatedRevenue timeframe } costStructure { name estimatedCost frequency } keyResources isTemplate creator { id } } } }`;
const PROJECT = `projectId status project { id name status owner { id } basedOnModel { id name }
  progress { completionPercentage milestones { id name status dueDate completedAt overdue } }
  financials { currency initialInvestment revenue { name amount } costs { name amount } totalRevenue totalCost profitLoss netAfterInvestment } archivedAt }`;
const CREATE = `mutation($input: CreateBusinessProjectInput!) { createBusinessProject(input: $input) { ${PROJECT} } }`;
const UPDATE = `mutation($id: UUID!, $input: UpdateBusinessProjectInput!) { updateBusinessProject(id: $id, input: $input) { ${PROJECT} } }`;
const ARCHIVE = `mutation($id: UUID!, $reason: String) { archiveBusinessProject(id: $id, reason: $reason) { ${PROJECT} } }`;
const READ = `query($id: UUID!) { businessProject(id: $id) { id name status } }`;
const MINE = `query($id: UUID!, $status: ProjectStatus, $after: String) { user(id: $id) {
  projects(first: 1, after: $after, filter: { status: $status }) { nodes { id status } pageInfo { hasNextPage endCursor } } } }`;
const LIST = `query($status: ProjectStatus) { businessProjects(first: 100, filter: { status: $status }) { nodes { id } } }`;

type Project = {
  id: string;
  status: string;
  progress: {
    completionPercentage: number;
    milestones: { id: string; name: string; status: string; completedAt: string | null; overdue: boolean }[];
  };
  financials: Record<string, unknown>;
  [k: string]: unknown;
};
const projectOf = (res: { data?: Record<string, unknown> | null }) =>
  (Object.values(res.data ?? {})[0] as { project: Project } | null)?.project ?? null;

let owner: SignedIn,
  peer: SignedIn,
  staff: SignedIn,
  facilityAdmin: SignedIn,
  otherFacilityAdmin: SignedIn,
  partner: SignedIn,
  outsider: SignedIn;
let ownerP: SeededPerson;
let mongo: MongoClient;
let db: pg.Client;
let modelId: string;
let tenantOfTest: Awaited<ReturnType<typeof seed.tenant>>;

const milestones = [
  { name: 'Register the business', dueDate: '2020-01-01T00:00:00Z', status: 'completed' },
  { name: 'First client', dueDate: '2099-06-01T00:00:00Z', status: 'in_progress' },
  { name: 'Hire a helper', dueDate: '2020-02-01T00:00:00Z' },
];
const financials = {
  currency: 'USD',
  initialInvestment: '500.00',
  revenue: [
    { name: 'Cleaning contracts', amount: '1200.10' },
    { name: 'One-off jobs', amount: '0.20' },
  ],
  costs: [
    { name: 'Supplies', amount: '300.05' },
    { name: 'Transport', amount: '0.10' },
  ],
};

beforeAll(async () => {
  const tenant = await seed.tenant();
  tenantOfTest = tenant;
  const [f, f2, of] = await Promise.all([tenant.facility(), tenant.facility(), (await seed.tenant()).facility()]);
  ownerP = await f.resident();
  [owner, peer, staff, facilityAdmin, otherFacilityAdmin, partner, outsider] = await Promise.all([
    ownerP.api(),
    f.resident().then((p) => p.api()),
    f.staff().then((p) => p.api()),
    f.facilityAdmin().then((p) => p.api()),
    f2.facilityAdmin().then((p) => p.api()),
    tenant.person('partner', f.id).then((p) => p.api()),
    of.facilityAdmin().then((p) => p.api()),
  ]);
  mongo = await MongoClient.connect(inject('mongoUrl'));
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
  const made = await partner.gql<{ createBusinessModel: { modelId: string; model: Record<string, unknown> } }>(MODEL, {
    input: {
      name: 'Mobile cleaning crew',
      category: 'cleaning',
      initialInvestment: '750.5',
      revenueStreams: [{ name: 'Office contracts', estimatedRevenue: '2000.00', timeframe: 'monthly' }],
      costStructure: [{ name: 'Supplies', estimatedCost: '150.00', frequency: 'monthly' }],
      keyResources: ['van', 'supplies'],
    },
  });
  expect(made.errors).toBeUndefined();
  modelId = made.data!.createBusinessModel.modelId;
}, 120_000);
afterAll(async () => {
  await mongo.close();
  await db.end();
});

describe('business models', () => {
  it('partners and administrators add templates; residents read them; money stays exact', async () => {
    const read = await owner.gql<{ businessModel: Record<string, unknown> }>(
      `query($id: UUID!) { businessModel(id: $id) { name initialInvestment isTemplate creator { id } revenueStreams { estimatedRevenue } } }`,
      { id: modelId },
    );
    expect(read.data!.businessModel).toMatchObject({
      name: 'Mobile cleaning crew',
      initialInvestment: '750.50',
      isTemplate: true,
      revenueStreams: [{ estimatedRevenue: '2000.00' }],
    });
    const list = await owner.gql<{ businessModels: { nodes: { id: string }[] } }>(
      `{ businessModels(first: 100, filter: { category: "cleaning" }) { nodes { id } } }`,
    );
    expect(list.data!.businessModels.nodes.map((n) => n.id)).toContain(modelId);
    expect(
      (await outsider.gql<{ businessModel: unknown }>(`query($id: UUID!) { businessModel(id: $id) { id } }`, { id: modelId })).data!
        .businessModel,
    ).toBeNull();
  });

  it('refuses residents and staff, and bad shapes; nothing is stored', async () => {
    const before = await mongo
      .db('pathway_market')
      .collection('business_models')
      .countDocuments({ name: /refused/ });
    for (const who of [owner, staff])
      expect(codes(await who.gql(MODEL, { input: { name: 'refused', category: 'cleaning' } }))).toEqual(['FORBIDDEN']);
    for (const input of [
      { name: '', category: 'cleaning' },
      { name: 'refused', category: 'Cleaning Crew' },
      { name: 'refused', category: 'cleaning', initialInvestment: '-1.00' },
      { name: 'refused', category: 'cleaning', initialInvestment: '1.005' },
      { name: 'refused', category: 'cleaning', initialInvestment: 12 },
      { name: 'refused', category: 'cleaning', currency: 'usd' },
      { name: 'refused', category: 'cleaning', keyResources: Array.from({ length: 21 }, (_, i) => `r${i}`) },
    ])
      expect([input, codes(await partner.gql(MODEL, { input }))]).toEqual([input, ['BAD_USER_INPUT']]);
    expect(
      await mongo
        .db('pathway_market')
        .collection('business_models')
        .countDocuments({ name: /refused/ }),
    ).toBe(before);
  });
});

describe('changing and archiving business models', () => {
  const CHANGE = `mutation($id: UUID!, $input: UpdateBusinessModelInput!) { updateBusinessModel(id: $id, input: $input) {
    modelId model { id name category initialInvestment keyResources archivedAt } } }`;
  const RETIRE = `mutation($id: UUID!, $reason: String) { archiveBusinessModel(id: $id, reason: $reason) { modelId model { id name archivedAt } } }`;
  const stored = (id: string) =>
    mongo
      .db('pathway_market')
      .collection('business_models')
      .findOne({ _id: id as never });
  const activity = async (id: string) =>
    (await db.query('SELECT activity_type, before, after, reason FROM market.activity_logs WHERE entity_id = $1 ORDER BY created_at', [id]))
      .rows;

  it('the creator changes the fields given (checked as a whole, logged); others may not; bad input changes nothing (Mongo stand-in)', async () => {
    const made = await partner.gql<{ createBusinessModel: { modelId: string } }>(MODEL, {
      input: { name: 'Lawn care', category: 'landscaping', initialInvestment: '300', keyResources: ['mower'] },
    });
    const id = made.data!.createBusinessModel.modelId;
    const changed = await partner.gql<{ updateBusinessModel: { model: Record<string, unknown> } }>(CHANGE, {
      id,
      input: { name: 'Lawn and garden care', initialInvestment: '450.25' },
    });
    expect(changed.errors).toBeUndefined();
    expect(changed.data!.updateBusinessModel.model).toEqual({
      id,
      name: 'Lawn and garden care',
      category: 'landscaping',
      initialInvestment: '450.25',
      keyResources: ['mower'],
      archivedAt: null,
    });
    expect((await activity(id)).map((a) => a.activity_type)).toEqual(['model.created', 'model.updated']);
    expect((await activity(id))[1]).toMatchObject({
      before: { name: 'Lawn care', initialInvestment: '300.00' },
      after: { name: 'Lawn and garden care', initialInvestment: '450.25' },
    });

    const before = await stored(id);
    // Residents and staff lack market.business_model.manage; a facility admin of the tenant did not make it.
    for (const who of [owner, staff, facilityAdmin])
      expect(codes(await who.gql(CHANGE, { id, input: { name: 'taken over' } }))).toEqual(['FORBIDDEN']);
    expect(codes(await outsider.gql(CHANGE, { id, input: { name: 'taken over' } }))).toEqual(['NOT_FOUND']);
    for (const input of [{ name: '' }, { initialInvestment: '-1.00' }, { category: 'Lawn Care' }, { keyResources: Array(21).fill('x') }])
      expect([input, codes(await partner.gql(CHANGE, { id, input }))]).toEqual([input, ['BAD_USER_INPUT']]);
    expect(codes(await partner.gql(CHANGE, { id: 'not-a-uuid', input: { name: 'x' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await partner.gql(CHANGE, { id: randomUUID(), input: { name: 'x' } }))).toEqual(['NOT_FOUND']);
    expect(await stored(id)).toEqual(before);
    expect(await activity(id)).toHaveLength(2);
  });

  it('archived: out of lists and recommendations, still readable by id, no more changes, no new projects from it', async () => {
    const made = await partner.gql<{ createBusinessModel: { modelId: string } }>(MODEL, {
      input: { name: 'Bike repair', category: 'repair' },
    });
    const id = made.data!.createBusinessModel.modelId;
    for (const who of [owner, staff]) expect(codes(await who.gql(RETIRE, { id }))).toEqual(['FORBIDDEN']);
    const retired = await partner.gql<{ archiveBusinessModel: { model: { archivedAt: string | null } } }>(RETIRE, {
      id,
      reason: 'No demand',
    });
    expect(retired.errors).toBeUndefined();
    expect(retired.data!.archiveBusinessModel.model.archivedAt).toEqual(expect.any(String));
    expect((await activity(id)).at(-1)).toMatchObject({ activity_type: 'model.archived', reason: 'No demand' });
    const list = await owner.gql<{ businessModels: { nodes: { id: string }[] } }>(
      `{ businessModels(first: 100, filter: { category: "repair" }) { nodes { id } } }`,
    );
    expect(list.data!.businessModels.nodes.map((n) => n.id)).not.toContain(id);
    const read = await owner.gql<{ businessModel: { id: string; archivedAt: string } }>(
      `query($id: UUID!) { businessModel(id: $id) { id archivedAt } }`,
      { id },
    );
    expect(read.data!.businessModel).toEqual({ id, archivedAt: expect.any(String) });
    const again = await partner.gql(RETIRE, { id });
    expect([codes(again), (again.errors![0]!.extensions as { reason?: string }).reason]).toEqual([['CONFLICT'], 'ALREADY_IN_STATE']);
    const change = await partner.gql(CHANGE, { id, input: { name: 'Bike and scooter repair' } });
    expect([codes(change), (change.errors![0]!.extensions as { reason?: string }).reason]).toEqual([['CONFLICT'], 'ARCHIVED']);
    expect(codes(await owner.gql(CREATE, { input: { name: 'My repair shop', basedOnModelId: id } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('an administrator of the tenant may change a model a partner made', async () => {
    const made = await partner.gql<{ createBusinessModel: { modelId: string } }>(MODEL, {
      input: { name: 'Tailoring', category: 'sewing' },
    });
    const admin = await (await tenantOfTest.person('department_admin')).api();
    const changed = await admin.gql<{ updateBusinessModel: { model: { name: string } } }>(CHANGE, {
      id: made.data!.createBusinessModel.modelId,
      input: { name: 'Tailoring and alterations' },
    });
    expect(changed.errors).toBeUndefined();
    expect(changed.data!.updateBusinessModel.model.name).toBe('Tailoring and alterations');
  });
});

describe('business projects', () => {
  it('a resident starts a project from a model: milestones, progress and profit/loss computed exactly; moves and archives it', async () => {
    const res = await owner.gql(CREATE, { input: { name: 'Clean start', basedOnModelId: modelId, milestones, financials } });
    expect(res.errors).toBeUndefined();
    const p = projectOf(res)!;
    expect(p).toMatchObject({ status: 'planning', owner: { id: ownerP.id }, basedOnModel: { id: modelId, name: 'Mobile cleaning crew' } });
    expect(p.progress.completionPercentage).toBe(33.33);
    expect(p.progress.milestones.map((m) => [m.name, m.status, m.overdue, m.completedAt !== null])).toEqual([
      ['Register the business', 'completed', false, true],
      ['First client', 'in_progress', false, false],
      ['Hire a helper', 'pending', true, false],
    ]);
    // 1200.10 + 0.20 − (300.05 + 0.10) = 900.15, and − 500.00 invested = 400.15: no float drift.
    expect(p.financials).toMatchObject({
      totalRevenue: '1200.30',
      totalCost: '300.15',
      profitLoss: '900.15',
      netAfterInvestment: '400.15',
    });

    const moved = projectOf(
      await owner.gql(UPDATE, {
        id: p.id,
        input: { status: 'active', milestones: milestones.map((m) => ({ ...m, status: 'completed' })) },
      }),
    )!;
    expect(moved.status).toBe('active');
    expect(moved.progress.completionPercentage).toBe(100);
    // The milestone already completed keeps its id and completion time.
    expect(moved.progress.milestones[0]).toMatchObject({
      id: p.progress.milestones[0]!.id,
      completedAt: p.progress.milestones[0]!.completedAt,
    });
    const loss = projectOf(
      await owner.gql(UPDATE, {
        id: p.id,
        input: { financials: { revenue: [{ name: 'Slow month', amount: '10.00' }], costs: [{ name: 'Van repair', amount: '310.55' }] } },
      }),
    )!;
    expect(loss.financials).toMatchObject({ initialInvestment: '0.00', profitLoss: '-300.55', netAfterInvestment: '-300.55' });

    // Listed as the owner's, by status, one per page.
    const second = projectOf(await owner.gql(CREATE, { input: { name: 'Side hustle' } }))!;
    const mine = async (status?: string, after?: string) =>
      (
        await facilityAdmin.gql<{ user: { projects: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } }>(
          MINE,
          { id: ownerP.id, status, after },
        )
      ).data!.user.projects;
    const pageOne = await mine();
    const pageTwo = await mine(undefined, pageOne.pageInfo.endCursor);
    expect([...pageOne.nodes, ...pageTwo.nodes].map((n) => n.id).sort()).toEqual([p.id, second.id].sort());
    expect((await mine('active')).nodes.map((n) => n.id)).toEqual([p.id]);

    const archived = projectOf(await owner.gql(ARCHIVE, { id: p.id, reason: 'Moved on' }))!;
    expect(archived.status).toBe('archived');
    expect(archived.archivedAt).not.toBeNull();
    expect(codes(await owner.gql(UPDATE, { id: p.id, input: { name: 'Again' } }))).toEqual(['CONFLICT']);

    const log = await db.query(`SELECT activity_type FROM market.activity_logs WHERE entity_id = $1 ORDER BY created_at`, [p.id]);
    expect(log.rows.map((r) => r.activity_type)).toEqual([
      'project.created',
      'project.status_changed',
      'project.updated',
      'project.archived',
    ]);
    // Every change's event left the document (the document outbox relayed it).
    const doc = await mongo
      .db('pathway_market')
      .collection('business_projects')
      .findOne({ _id: p.id as never });
    expect(doc!.pendingEvents ?? []).toEqual([]);
  });

  it('shows a project to its owner and administrators of its reach only; a facility admin may change it, others may not', async () => {
    const p = projectOf(await owner.gql(CREATE, { input: { name: 'Private plan' } }))!;
    const seen = async (who: SignedIn) =>
      (await who.gql<{ businessProject: { id: string } | null }>(READ, { id: p.id })).data!.businessProject?.id ?? null;
    expect(await seen(owner)).toBe(p.id);
    expect(await seen(facilityAdmin)).toBe(p.id);
    for (const who of [peer, staff, partner, otherFacilityAdmin, outsider]) expect(await seen(who)).toBeNull();
    expect(
      (await peer.gql<{ businessProjects: { nodes: { id: string }[] } }>(LIST)).data!.businessProjects.nodes.map((n) => n.id),
    ).not.toContain(p.id);
    expect(
      (await facilityAdmin.gql<{ businessProjects: { nodes: { id: string }[] } }>(LIST)).data!.businessProjects.nodes.map((n) => n.id),
    ).toContain(p.id);
    // Wrong people: unseen is NOT_FOUND (another resident, staff), and the administrator of another facility.
    for (const who of [peer, staff, otherFacilityAdmin])
      expect(codes(await who.gql(UPDATE, { id: p.id, input: { name: 'Mine now' } }))).toEqual(['NOT_FOUND']);
    expect(codes(await peer.gql(ARCHIVE, { id: p.id }))).toEqual(['NOT_FOUND']);
    // Staff cannot start projects (market.project.create).
    expect(codes(await staff.gql(CREATE, { input: { name: 'Staff plan' } }))).toEqual(['FORBIDDEN']);
    expect(projectOf(await facilityAdmin.gql(UPDATE, { id: p.id, input: { status: 'active' } }))!.status).toBe('active');
  });

  it('refuses bad input, unknown models and impossible moves; nothing changes', async () => {
    const count = async () =>
      mongo
        .db('pathway_market')
        .collection('business_projects')
        .countDocuments({ name: /^refused/ });
    const before = await count();
    for (const input of [
      { name: '' },
      { name: 'refused', status: 'completed' },
      { name: 'refused', status: 'archived' },
      { name: 'refused', basedOnModelId: 'nope' },
      { name: 'refused', milestones: [{ name: '' }] },
      { name: 'refused', milestones: Array.from({ length: 51 }, (_, i) => ({ name: `m${i}` })) },
      { name: 'refused', financials: { revenue: [{ name: 'x', amount: '-1.00' }] } },
      { name: 'refused', financials: { costs: [{ name: 'x', amount: '1.001' }] } },
      { name: 'refused', financials: { costs: [{ name: 'x', amount: 5 }] } },
      { name: 'refused', financials: { currency: 'dollars' } },
    ])
      expect([input, codes(await owner.gql(CREATE, { input }))]).toEqual([input, ['BAD_USER_INPUT']]);
    expect(codes(await owner.gql(CREATE, { input: { name: 'refused', basedOnModelId: randomUUID() } }))).toEqual(['NOT_FOUND']);
    expect(await count()).toBe(before);
    const p = projectOf(await owner.gql(CREATE, { input: { name: 'Moves' } }))!;
    expect(codes(await owner.gql(UPDATE, { id: p.id, input: { status: 'archived' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await owner.gql(UPDATE, { id: p.id, input: { name: 'Moves' } }))).toEqual(['CONFLICT']);
    await owner.gql(UPDATE, { id: p.id, input: { status: 'completed' } });
    const invalid = await owner.gql(UPDATE, { id: p.id, input: { status: 'planning' } });
    expect(codes(invalid)).toEqual(['CONFLICT']);
    expect(invalid.errors![0]!.extensions).toMatchObject({
      reason: 'INVALID_TRANSITION',
      from: 'completed',
      to: 'planning',
      allowed: ['active'],
    });
    expect(codes(await owner.gql(UPDATE, { id: randomUUID(), input: { name: 'x' } }))).toEqual(['NOT_FOUND']);
    expect(codes(await owner.gql(ARCHIVE, { id: p.id, reason: 'x'.repeat(1001) }))).toEqual(['BAD_USER_INPUT']);
    expect((await owner.gql<{ businessProject: { status: string } }>(READ, { id: p.id })).data!.businessProject.status).toBe('completed');
  });
});
