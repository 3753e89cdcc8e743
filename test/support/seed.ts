// Rows a test file owns: a fresh tenant, its facilities, people, programs and classes, each call
// making new, uniquely named rows. Through the API where the API can make them (tenants, people,
// feature flags, classes, schedules and enrollments, as the demo system administrator) and straight
// into the subgraph's own tables where it cannot (campus facilities and programs, market assets). A test that
// changes what it seeded never disturbs another file, which the shared demo rows cannot promise.
//
//   const t = await seed.tenant();
//   const f = await t.facility();
//   const [r, s] = await Promise.all([f.resident(), f.staff()]);
//   const c = await f.program().then((p) => p.class());
//   await c.enroll(r);
//   const api = await r.login(); // signed in, temporary password changed
//   await api.gql('{ me { id } }');
import { randomBytes, randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { inject } from 'vitest';
import type { Role } from '@pathway/kit';
import { users } from '../../scripts/demo/ids.ts';
import { ASSETS_COLLECTION, priceKey, type AssetDocument } from '../../subgraphs/market/src/data/assets.ts';
import { activate, gql, login, tokenFor, CHOSEN_PASSWORD, type GraphQLResponse, type Tokens } from './client.ts';
import { SEED_TEMPORARY_PASSWORD } from './passwords.ts';

export { SEED_TEMPORARY_PASSWORD };
/** A facility feature switch (identity's FeatureFlag enum). */
export type FeatureFlag = 'open_content' | 'provider_platforms' | 'program_management';
const ALL_FEATURES: FeatureFlag[] = ['open_content', 'provider_platforms', 'program_management'];

/** A short random suffix that makes every seeded name unique. */
const unique = () => randomBytes(4).toString('hex');

/** A person signed in through the API, with a client that sends their token. */
export interface SignedIn extends Tokens {
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
}

export interface SeededPerson {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  role: Role;
  tenantId: string;
  facilityId: string | null;
  /** Signs in (the first call also changes the temporary password, as the API demands) and returns a fresh session. */
  login(): Promise<SignedIn>;
  /** One session for the file: the first `login()`'s, reused. */
  api(): Promise<SignedIn>;
}

export interface SeededClass {
  id: string;
  name: string;
  programId: string;
  facilityId: string;
  tenantId: string;
  /** Enrolls people (through `enrollResidents`); returns the enrollment ids in the order given. */
  enroll(...people: { id: string }[]): Promise<string[]>;
  /** A schedule (through `createClassEvent`); returns the event id. */
  event(input: { startsAt: string; durationMinutes: number; recurrenceRule?: string; room?: string }): Promise<string>;
}

export interface SeededProgram {
  id: string;
  name: string;
  tenantId: string;
  /** A class of this program at the facility it was seeded for (through `createProgramClass`). */
  class(input?: { name?: string; capacity?: number | null; startDt?: string; endDt?: string | null }): Promise<SeededClass>;
}

export interface SeededFacility {
  id: string;
  name: string;
  timezone: string;
  tenantId: string;
  person(role: Role, names?: { firstName?: string; lastName?: string }): Promise<SeededPerson>;
  resident(names?: { firstName?: string; lastName?: string }): Promise<SeededPerson>;
  staff(names?: { firstName?: string; lastName?: string }): Promise<SeededPerson>;
  facilityAdmin(): Promise<SeededPerson>;
  /** A program offered at this facility (campus tables: the API has no way to create one). */
  program(input?: { name?: string }): Promise<SeededProgram>;
}

export interface SeededTenant {
  id: string;
  slug: string;
  name: string;
  /** A facility of the tenant: its campus row, and its feature flags (all on, as on demo facilities, unless `features` says otherwise). */
  facility(input?: { name?: string; timezone?: string; features?: FeatureFlag[] }): Promise<SeededFacility>;
  /** Someone of the tenant placed at no facility (department admin, analyst, …). */
  person(role: Role, facilityId?: string | null): Promise<SeededPerson>;
  departmentAdmin(): Promise<SeededPerson>;
  analyst(): Promise<SeededPerson>;
  /** A digital asset of the tenant held by `owner` (market's Mongo collection: the API only transfers assets); returns its id. */
  asset(owner: { id: string }, input?: { name?: string; listed?: boolean }): Promise<string>;
}

/** The demo system administrator's token: only read, to create rows everywhere. */
const system = () => tokenFor(users.sysadmin.username);

/** Runs a mutation as the system administrator and returns its one field, or throws with the errors. */
async function asSystem<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await gql<Record<string, T>>(query, variables, { token: await system() });
  const value = res.data ? Object.values(res.data)[0] : undefined;
  if (res.errors || value == null) throw new Error(`seeding failed: ${JSON.stringify(res.errors)} for ${query}`);
  return value;
}

/** Inserts rows as the database owner (no Row-Level Security), for tables the API cannot write. */
async function insert(sql: string, params: unknown[]): Promise<void> {
  const db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
  try {
    await db.query(sql, params);
  } finally {
    await db.end();
  }
}

/** Inserts a document into market's assets collection (no API creates assets). */
async function insertAsset(asset: AssetDocument): Promise<void> {
  const mongo = await MongoClient.connect(inject('mongoUrl'));
  try {
    await mongo.db('pathway_market').collection<AssetDocument>(ASSETS_COLLECTION).insertOne(asset);
  } finally {
    await mongo.close();
  }
}

function signedIn(tokens: Tokens): SignedIn {
  return { ...tokens, gql: (query, variables = {}) => gql(query, variables, { token: tokens.accessToken }) };
}

async function createPerson(
  tenantId: string,
  facilityId: string | null,
  role: Role,
  names: { firstName?: string; lastName?: string } = {},
) {
  const s = unique();
  const username = `seed.${role.replace('_', '')}.${s}`;
  const input = {
    username,
    email: `${username}@seed.example.org`,
    firstName: names.firstName ?? 'Seeded',
    lastName: names.lastName ?? `${role} ${s}`,
    role,
    facilityId,
    tenantId,
    temporaryPassword: SEED_TEMPORARY_PASSWORD,
  };
  const created = await asSystem<{ id: string }>(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, { input });
  let activated: Promise<Tokens> | undefined;
  let session: Promise<SignedIn> | undefined;
  const person: SeededPerson = {
    id: created.id,
    username,
    firstName: input.firstName,
    lastName: input.lastName,
    role,
    tenantId,
    facilityId,
    login: async () => {
      if (!activated) return signedIn(await (activated = activate(username, SEED_TEMPORARY_PASSWORD)));
      await activated;
      return signedIn(await login(username, CHOSEN_PASSWORD));
    },
    api: () => (session ??= person.login()),
  };
  return person;
}

function seededClass(row: Omit<SeededClass, 'enroll' | 'event'>): SeededClass {
  return {
    ...row,
    enroll: async (...people) => {
      const enrolled = await asSystem<{ id: string; user: { id: string } }[]>(
        `mutation($c: UUID!, $u: [UUID!]!) { enrollResidents(classId: $c, userIds: $u) { id user { id } } }`,
        { c: row.id, u: people.map((p) => p.id) },
      );
      return people.map((p) => enrolled.find((e) => e.user.id === p.id)!.id);
    },
    event: async (input) =>
      (
        await asSystem<{ id: string }>(
          `mutation($c: UUID!, $input: ClassEventInput!) { createClassEvent(classId: $c, input: $input) { id } }`,
          {
            c: row.id,
            input,
          },
        )
      ).id,
  };
}

async function createFacility(tenantId: string, input: { name?: string; timezone?: string; features?: FeatureFlag[] } = {}) {
  const id = randomUUID();
  const name = input.name ?? `Seeded facility ${unique()}`;
  const timezone = input.timezone ?? 'America/New_York';
  await insert('INSERT INTO campus.facilities (id, tenant_id, name, timezone, updated_at) VALUES ($1, $2, $3, $4, now())', [
    id,
    tenantId,
    name,
    timezone,
  ]);
  for (const flag of input.features ?? ALL_FEATURES)
    await asSystem(
      `mutation($f: UUID!, $flag: FeatureFlag!, $t: UUID!) { setFacilityFeatureFlag(facilityId: $f, flag: $flag, enabled: true, tenantId: $t) { enabled } }`,
      { f: id, flag, t: tenantId },
    );
  const facility: SeededFacility = {
    id,
    name,
    timezone,
    tenantId,
    person: (role, names) => createPerson(tenantId, id, role, names),
    resident: (names) => facility.person('resident', names),
    staff: (names) => facility.person('staff', names),
    facilityAdmin: () => facility.person('facility_admin'),
    program: async (programInput = {}) => {
      const programId = randomUUID();
      const programName = programInput.name ?? `Seeded program ${unique()}`;
      await insert('INSERT INTO campus.programs (id, tenant_id, name, updated_at) VALUES ($1, $2, $3, now())', [
        programId,
        tenantId,
        programName,
      ]);
      await insert('INSERT INTO campus.facilities_programs (facility_id, program_id, tenant_id) VALUES ($1, $2, $3)', [
        id,
        programId,
        tenantId,
      ]);
      return {
        id: programId,
        name: programName,
        tenantId,
        class: async (classInput = {}) => {
          const className = classInput.name ?? `Seeded class ${unique()}`;
          const created = await asSystem<{ id: string }>(
            `mutation($input: CreateProgramClassInput!) { createProgramClass(input: $input) { id } }`,
            {
              input: {
                programId,
                facilityId: id,
                name: className,
                capacity: classInput.capacity === undefined ? 20 : classInput.capacity,
                startDt: classInput.startDt ?? '2026-09-01T12:00:00Z',
                endDt: classInput.endDt === undefined ? '2027-06-01T12:00:00Z' : classInput.endDt,
              },
            },
          );
          return seededClass({ id: created.id, name: className, programId, facilityId: id, tenantId });
        },
      };
    },
  };
  return facility;
}

/** A digital asset of the tenant held (and made) by `owner`, straight into market's collection; returns its id. */
async function createAsset(tenantId: string, owner: { id: string }, input: { name?: string; listed?: boolean } = {}): Promise<string> {
  const assetId = randomUUID();
  const now = new Date();
  const listed = input.listed ?? false;
  await insertAsset({
    _id: assetId,
    tenantId,
    name: input.name ?? `Seeded asset ${unique()}`,
    creatorId: owner.id,
    ownerId: owner.id,
    assetType: listed ? 'digital_art' : 'badge',
    metadata: { attributes: [] },
    isListed: listed,
    listingPrice: listed ? '25.00' : null,
    listingCurrency: listed ? 'USD' : null,
    listingPriceKey: priceKey(listed ? '25.00' : null),
    createdAt: now,
    updatedAt: now,
  });
  return assetId;
}

export const seed = {
  /** A new tenant (through `createTenant`), to hang a test file's own facilities and people on. */
  async tenant(input: { name?: string } = {}): Promise<SeededTenant> {
    const slug = `seed-${unique()}`;
    const name = input.name ?? `Seeded tenant ${slug}`;
    const { id } = await asSystem<{ id: string }>(`mutation($input: CreateTenantInput!) { createTenant(input: $input) { id } }`, {
      input: { slug, name },
    });
    const tenant: SeededTenant = {
      id,
      slug,
      name,
      facility: (facilityInput) => createFacility(id, facilityInput),
      person: (role, facilityId = null) => createPerson(id, facilityId, role),
      departmentAdmin: () => tenant.person('department_admin'),
      analyst: () => tenant.person('analyst'),
      asset: (owner, assetInput) => createAsset(id, owner, assetInput),
    };
    return tenant;
  },
  /** A new facility of an existing tenant (e.g. a demo one), as `tenant.facility()` makes them. */
  facilityIn: (tenantId: string, input?: { name?: string; timezone?: string; features?: FeatureFlag[] }) => createFacility(tenantId, input),
  /** A digital asset of an existing tenant (e.g. a demo one), as `tenant.asset()` makes them. */
  assetIn: createAsset,

  /**
   * `count` residents placed at an existing facility (e.g. a demo one), in one `bulkCreateUsers`:
   * people that writes naming residents accept (identity vouches for them). Returns their ids.
   */
  async residentsAt(facility: { id: string; tenantId: string }, count: number): Promise<string[]> {
    const input = Array.from({ length: count }, () => {
      const username = `seed.resident.${unique()}`;
      return {
        username,
        email: `${username}@seed.example.org`,
        firstName: 'Seeded',
        lastName: `Resident ${username.slice(-8)}`,
        role: 'resident',
        facilityId: facility.id,
        tenantId: facility.tenantId,
        temporaryPassword: SEED_TEMPORARY_PASSWORD,
      };
    });
    const report = await asSystem<{ created: { id: string }[]; rejectedCount: number }>(
      `mutation($input: [CreateUserInput!]!) { bulkCreateUsers(input: $input) { created { id } rejectedCount } }`,
      { input },
    );
    if (report.rejectedCount) throw new Error(`seeding ${count} residents: ${report.rejectedCount} rows were refused`);
    return report.created.map((u) => u.id);
  },
};
