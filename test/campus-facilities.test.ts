import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';
import { seed, type SeededFacility, type SeededPerson, type SeededTenant } from './support/seed.ts';

// Facilities managed through the gateway (issue 14): system and department administrators create,
// change, archive and reactivate them; nobody else may; bad input and refusals change nothing.
const CREATE = `mutation($input: CreateFacilityInput!) { createFacility(input: $input) { facilityId facility { id name timezone address archivedAt tenantId } } }`;
const UPDATE = `mutation($id: UUID!, $input: UpdateFacilityInput!) { updateFacility(id: $id, input: $input) { facilityId facility { name timezone address } } }`;
const ARCHIVE = `mutation($id: UUID!, $reason: String) { archiveFacility(id: $id, reason: $reason) { facilityId facility { archivedAt } } }`;
const REACTIVATE = `mutation($id: UUID!) { reactivateFacility(id: $id) { facility { archivedAt } } }`;
const HISTORY = `query($id: UUID!) { facility(id: $id) { history(first: 10) { nodes { action reason before after actor { id } } } } }`;
const STATUS = `mutation($id: UUID!, $status: ProgramClassStatus!) { changeProgramClassStatus(id: $id, status: $status, reason: "test") { status } }`;

let tenant: SeededTenant;
let other: SeededTenant;
let facility: SeededFacility;
let dept: SeededPerson;
let facilityAdmin: SeededPerson;
let staff: SeededPerson;
let resident: SeededPerson;
let db: pg.Client;
const suffix = () => randomUUID().slice(0, 8);
const sysadmin = () => tokenFor(users.sysadmin.username);
const token = async (p: SeededPerson) => (await p.api()).accessToken;
const facilityRow = async (id: string) => (await db.query('SELECT * FROM campus.facilities WHERE id = $1', [id])).rows[0];
const countByName = async (name: string) =>
  Number((await db.query('SELECT count(*) AS n FROM campus.facilities WHERE name = $1', [name])).rows[0].n);

beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
  [tenant, other] = await Promise.all([seed.tenant(), seed.tenant()]);
  facility = await tenant.facility({ timezone: 'America/Chicago' });
  [dept, facilityAdmin, staff, resident] = await Promise.all([
    tenant.departmentAdmin(),
    facility.facilityAdmin(),
    facility.staff(),
    facility.resident(),
  ]);
});
afterAll(() => db.end());

describe('facilities', () => {
  it('a department administrator creates a facility in their tenant, changes it, and the history shows before → after', async () => {
    const name = `Created facility ${suffix()}`;
    const created = await gql<{ createFacility: { facilityId: string; facility: Record<string, unknown> } }>(
      CREATE,
      { input: { name, timezone: 'America/Denver', address: '1 Main St' } },
      { token: await token(dept) },
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createFacility.facilityId;
    expect(created.data!.createFacility.facility).toMatchObject({
      id,
      name,
      timezone: 'America/Denver',
      address: '1 Main St',
      tenantId: tenant.id,
      archivedAt: null,
    });

    const updated = await gql(UPDATE, { id, input: { timezone: 'America/Phoenix' } }, { token: await token(dept) });
    expect(updated.errors).toBeUndefined();
    expect(updated.data).toEqual({
      updateFacility: { facilityId: id, facility: { name, timezone: 'America/Phoenix', address: '1 Main St' } },
    });

    const history = await gql<{ facility: { history: { nodes: Record<string, unknown>[] } } }>(
      HISTORY,
      { id },
      { token: await token(dept) },
    );
    expect(history.errors).toBeUndefined();
    expect(history.data!.facility.history.nodes).toEqual([
      {
        action: 'facility.updated',
        reason: null,
        before: { timezone: 'America/Denver' },
        after: { timezone: 'America/Phoenix' },
        actor: { id: dept.id },
      },
      expect.objectContaining({ action: 'facility.created', before: null, actor: { id: dept.id } }),
    ]);
  });

  it('a system administrator names the tenant; without one the input is refused', async () => {
    const name = `System facility ${suffix()}`;
    const missing = await gql(CREATE, { input: { name, timezone: 'UTC' } }, { token: await sysadmin() });
    expect(codes(missing)).toEqual(['BAD_USER_INPUT']);
    expect(missing.errors![0]!.extensions).toMatchObject({ fieldErrors: { tenantId: expect.any(String) } });
    const created = await gql<{ createFacility: { facility: { tenantId: string } } }>(
      CREATE,
      { input: { name, timezone: 'UTC', tenantId: other.id } },
      { token: await sysadmin() },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createFacility.facility.tenantId).toBe(other.id);
  });

  it('facility administrators, staff and residents may not create or change facilities; nothing is written', async () => {
    for (const person of [facilityAdmin, staff, resident]) {
      const name = `Refused facility ${suffix()}`;
      const res = await gql(CREATE, { input: { name, timezone: 'America/Chicago' } }, { token: await token(person) });
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(res.data).toEqual({ createFacility: null });
      expect(await countByName(name)).toBe(0);
    }
    const before = await facilityRow(facility.id);
    for (const person of [facilityAdmin, staff]) {
      const res = await gql(UPDATE, { id: facility.id, input: { name: 'Taken over' } }, { token: await token(person) });
      expect(codes(res)).toEqual(['FORBIDDEN']);
      const arch = await gql(ARCHIVE, { id: facility.id }, { token: await token(person) });
      expect(codes(arch)).toEqual(['FORBIDDEN']);
    }
    expect(await facilityRow(facility.id)).toEqual(before);
  });

  it('bad input: unknown time zone, empty name, malformed, unknown and other tenants’ ids, a taken name', async () => {
    const name = `Bad facility ${suffix()}`;
    const zone = await gql(CREATE, { input: { name, timezone: 'Mars/Olympus_Mons' } }, { token: await token(dept) });
    expect(codes(zone)).toEqual(['BAD_USER_INPUT']);
    expect(zone.errors![0]!.extensions).toMatchObject({ fieldErrors: { timezone: expect.stringContaining('IANA') } });
    const empty = await gql(CREATE, { input: { name: '  ', timezone: 'UTC' } }, { token: await token(dept) });
    expect(codes(empty)).toEqual(['BAD_USER_INPUT']);
    expect(await countByName(name)).toBe(0);

    const before = await facilityRow(facility.id);
    const badZone = await gql(UPDATE, { id: facility.id, input: { timezone: 'EST' } }, { token: await token(dept) });
    expect(codes(badZone)).toEqual(['BAD_USER_INPUT']);
    const malformed = await gql(UPDATE, { id: 'not-a-uuid', input: { name: 'x' } }, { token: await token(dept) });
    expect(codes(malformed)).toEqual(['BAD_USER_INPUT']);
    const unknown = await gql(UPDATE, { id: randomUUID(), input: { name: 'x' } }, { token: await token(dept) });
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    const foreign = await other.facility();
    const otherTenant = await gql(UPDATE, { id: foreign.id, input: { name: 'x' } }, { token: await token(dept) });
    expect(codes(otherTenant)).toEqual(['NOT_FOUND']);
    const second = await tenant.facility();
    const taken = await gql(UPDATE, { id: second.id, input: { name: facility.name } }, { token: await token(dept) });
    expect(codes(taken)).toEqual(['CONFLICT']);
    expect(taken.errors![0]!.extensions).toMatchObject({ reason: 'DUPLICATE' });
    expect(await facilityRow(facility.id)).toEqual(before);
  });

  it('archiving is refused while a class is not yet ended (the error says what depends on it), then allowed; an archived facility takes no class', async () => {
    const f = await tenant.facility();
    const program = await f.program();
    const c = await program.class({ capacity: 5 });
    const r = await f.resident();
    await c.enroll(r);
    const refused = await gql(ARCHIVE, { id: f.id, reason: 'closing' }, { token: await token(dept) });
    expect(codes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0]!.extensions).toMatchObject({ reason: 'IN_USE', dependents: { classes: 1, enrollments: 1 } });
    expect(refused.errors![0]!.message).toMatch(/1 class\(es\) not yet ended/);
    expect((await facilityRow(f.id)).archived_at).toBeNull();

    expect((await gql(STATUS, { id: c.id, status: 'Cancelled' }, { token: await sysadmin() })).errors).toBeUndefined();
    const archived = await gql<{ archiveFacility: { facility: { archivedAt: string } } }>(
      ARCHIVE,
      { id: f.id, reason: 'closing' },
      { token: await token(dept) },
    );
    expect(archived.errors).toBeUndefined();
    expect(archived.data!.archiveFacility.facility.archivedAt).toEqual(expect.any(String));
    const again = await gql(ARCHIVE, { id: f.id }, { token: await token(dept) });
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_IN_STATE' });

    const newClass = await gql(
      `mutation($input: CreateProgramClassInput!) { createProgramClass(input: $input) { id } }`,
      { input: { programId: program.id, facilityId: f.id, name: 'After archive', startDt: '2027-01-01T12:00:00Z' } },
      { token: await sysadmin() },
    );
    expect(newClass.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ARCHIVED' });

    const back = await gql(REACTIVATE, { id: f.id }, { token: await token(dept) });
    expect(back.data).toEqual({ reactivateFacility: { facility: { archivedAt: null } } });
    const history = await gql<{ facility: { history: { nodes: { action: string; reason: string | null }[] } } }>(
      HISTORY,
      { id: f.id },
      { token: await token(dept) },
    );
    expect(history.data!.facility.history.nodes.map((n) => n.action)).toEqual(['facility.reactivated', 'facility.archived']);
    expect(history.data!.facility.history.nodes[1]!.reason).toBe('closing');
  });
});
