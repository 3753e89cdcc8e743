import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';
import { seed, type SeededFacility, type SeededPerson, type SeededTenant } from './support/seed.ts';

// The program catalog managed through the gateway (issue 14): department administrators create,
// change, archive, reactivate and delete programs; facility administrators choose what their
// facility offers; history, stats and the CSV export.
const FIELDS = `programId program { id name description fundingType programTypes isActive archivedAt facilities { id } }`;
const CREATE = `mutation($input: CreateProgramInput!) { createProgram(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: UUID!, $input: UpdateProgramInput!) { updateProgram(id: $id, input: $input) { ${FIELDS} } }`;
const ARCHIVE = `mutation($id: UUID!, $reason: String) { archiveProgram(id: $id, reason: $reason) { ${FIELDS} } }`;
const REACTIVATE = `mutation($id: UUID!) { reactivateProgram(id: $id) { ${FIELDS} } }`;
const DELETE = `mutation($id: UUID!, $reason: String) { deleteProgram(id: $id, reason: $reason) { deletedProgramId deletedClasses } }`;
const OFFER = `mutation($p: UUID!, $f: UUID!, $o: Boolean!) { setProgramOffered(programId: $p, facilityId: $f, offered: $o) { programId program { facilities { id } } } }`;
const HISTORY = `query($id: UUID!) { program(id: $id) { history(first: 20) { nodes { action reason before after actor { id } } } } }`;
const STATS = `query($id: UUID!) { program(id: $id) { stats { classes activeClasses enrolled completed incomplete completionRate attendanceRate attendance { present recorded } } } }`;
const EXPORT = `query($f: ProgramFilter) { programsExport(filter: $f) { rows csv } }`;
const CHANGE = `mutation($id: UUID!, $status: ClassEnrollmentStatus!, $reason: String) { changeEnrollmentStatus(id: $id, status: $status, reason: $reason) { status } }`;
const ATTEND = `mutation($e: UUID!, $d: String!, $r: [AttendanceRecordInput!]!) { takeAttendance(eventId: $e, date: $d, records: $r) { id } }`;

let tenant: SeededTenant;
let other: SeededTenant;
let facility: SeededFacility;
let second: SeededFacility;
let dept: SeededPerson;
let facilityAdmin: SeededPerson;
let staff: SeededPerson;
let db: pg.Client;
const suffix = () => randomUUID().slice(0, 8);
const sysadmin = () => tokenFor(users.sysadmin.username);
const token = async (p: SeededPerson) => (await p.api()).accessToken;
const programRow = async (id: string) => (await db.query('SELECT * FROM campus.programs WHERE id = $1', [id])).rows[0];
const countPrograms = async (name: string) =>
  Number((await db.query('SELECT count(*) AS n FROM campus.programs WHERE name = $1', [name])).rows[0].n);
type Program = { programId: string; program: Record<string, unknown> & { facilities: { id: string }[] } };

async function newProgram(input: Record<string, unknown> = {}) {
  const res = await gql<{ createProgram: Program }>(
    CREATE,
    { input: { name: `Program ${suffix()}`, ...input } },
    { token: await token(dept) },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.createProgram;
}

beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
  [tenant, other] = await Promise.all([seed.tenant(), seed.tenant()]);
  [facility, second] = await Promise.all([tenant.facility(), tenant.facility()]);
  [dept, facilityAdmin, staff] = await Promise.all([tenant.departmentAdmin(), facility.facilityAdmin(), facility.staff()]);
});
afterAll(() => db.end());

describe('programs', () => {
  it('a department administrator creates, changes, archives and reactivates a program; the history has who and before → after', async () => {
    const created = await newProgram({
      description: 'Welding basics',
      fundingType: 'State_Grants',
      programTypes: ['Vocational', 'Re_Entry'],
      facilityIds: [facility.id],
    });
    expect(created.program).toMatchObject({
      fundingType: 'State_Grants',
      programTypes: ['Vocational', 'Re_Entry'],
      isActive: true,
      archivedAt: null,
      facilities: [{ id: facility.id }],
    });
    // Stored with seed 003's spelling.
    const types = await db.query('SELECT program_type::text AS t FROM campus.program_types WHERE program_id = $1 ORDER BY 1', [
      created.programId,
    ]);
    expect(types.rows.map((r) => r.t)).toEqual(['Re-Entry', 'Vocational']);

    const id = created.programId;
    const updated = await gql<{ updateProgram: Program }>(
      UPDATE,
      { id, input: { programTypes: ['Religious_Faith_Based'], fundingType: 'Other' } },
      { token: await token(dept) },
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateProgram.program).toMatchObject({
      programTypes: ['Religious_Faith_Based'],
      fundingType: 'Other',
      description: 'Welding basics',
    });
    const archived = await gql<{ archiveProgram: Program }>(ARCHIVE, { id, reason: 'funding ended' }, { token: await token(dept) });
    expect(archived.data!.archiveProgram.program).toMatchObject({ isActive: false, archivedAt: expect.any(String) });
    const back = await gql<{ reactivateProgram: Program }>(REACTIVATE, { id }, { token: await token(dept) });
    expect(back.data!.reactivateProgram.program).toMatchObject({ isActive: true, archivedAt: null });

    const history = await gql<{ program: { history: { nodes: Record<string, unknown>[] } } }>(
      HISTORY,
      { id },
      { token: await token(dept) },
    );
    expect(history.errors).toBeUndefined();
    const lines = history.data!.program.history.nodes;
    expect(lines.map((l) => l.action)).toEqual(['program.reactivated', 'program.archived', 'program.updated', 'program.created']);
    expect(lines[2]).toMatchObject({
      before: { fundingType: 'State_Grants', programTypes: ['Re_Entry', 'Vocational'] },
      after: { fundingType: 'Other', programTypes: ['Religious_Faith_Based'] },
      actor: { id: dept.id },
    });
    expect(lines[1]).toMatchObject({ reason: 'funding ended', before: { isActive: true, archivedAt: null } });
  });

  it('facility administrators and staff may not create or change programs; nothing is written', async () => {
    const p = await newProgram({ facilityIds: [facility.id] });
    const before = await programRow(p.programId);
    for (const person of [facilityAdmin, staff]) {
      const name = `Refused ${suffix()}`;
      const res = await gql(CREATE, { input: { name } }, { token: await token(person) });
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(await countPrograms(name)).toBe(0);
      for (const [query, vars] of [
        [UPDATE, { id: p.programId, input: { name: 'x' } }],
        [ARCHIVE, { id: p.programId }],
        [DELETE, { id: p.programId }],
      ] as const) {
        expect(codes(await gql(query, vars, { token: await token(person) }))).toEqual(['FORBIDDEN']);
      }
    }
    expect(await programRow(p.programId)).toEqual(before);
  });

  it('bad input: empty name, unknown enum value, a taken name, malformed, unknown and other tenants’ ids', async () => {
    const empty = await gql(CREATE, { input: { name: '' } }, { token: await token(dept) });
    expect(codes(empty)).toEqual(['BAD_USER_INPUT']);
    expect(empty.errors![0]!.extensions).toMatchObject({ fieldErrors: { name: expect.any(String) } });
    const enumValue = await gql(CREATE, { input: { name: `Bad ${suffix()}`, fundingType: 'Lottery' } }, { token: await token(dept) });
    expect(codes(enumValue)).toEqual(['BAD_USER_INPUT']);
    const p = await newProgram();
    const taken = await gql(CREATE, { input: { name: p.program.name } }, { token: await token(dept) });
    expect(taken.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE' });
    const foreignFacility = await other.facility();
    const name = `Foreign ${suffix()}`;
    const foreign = await gql(CREATE, { input: { name, facilityIds: [foreignFacility.id] } }, { token: await token(dept) });
    expect(codes(foreign)).toEqual(['NOT_FOUND']);
    expect(await countPrograms(name)).toBe(0);
    expect(codes(await gql(UPDATE, { id: 'nope', input: { name: 'x' } }, { token: await token(dept) }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(UPDATE, { id: randomUUID(), input: { name: 'x' } }, { token: await token(dept) }))).toEqual(['NOT_FOUND']);
    const foreignProgram = await foreignFacility.program();
    expect(codes(await gql(ARCHIVE, { id: foreignProgram.id }, { token: await token(dept) }))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(DELETE, { id: foreignProgram.id }, { token: await token(dept) }))).toEqual(['NOT_FOUND']);
    expect(await programRow(foreignProgram.id)).toBeDefined();
  });

  it('a facility administrator offers a program of the catalog at their facility, not at another; withdrawing is refused while a class there runs', async () => {
    const p = await newProgram({ facilityIds: [second.id] });
    const offered = await gql<{ setProgramOffered: Program }>(
      OFFER,
      { p: p.programId, f: facility.id, o: true },
      { token: await token(facilityAdmin) },
    );
    expect(offered.errors).toBeUndefined();
    expect(offered.data!.setProgramOffered.programId).toBe(p.programId);
    const elsewhere = await gql(OFFER, { p: p.programId, f: second.id, o: false }, { token: await token(facilityAdmin) });
    expect(codes(elsewhere)).toEqual(['NOT_FOUND']);
    expect(codes(await gql(OFFER, { p: p.programId, f: facility.id, o: true }, { token: await token(staff) }))).toEqual(['FORBIDDEN']);
    const again = await gql(OFFER, { p: p.programId, f: facility.id, o: true }, { token: await token(facilityAdmin) });
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_IN_STATE' });

    const created = await gql<{ createProgramClass: { id: string } }>(
      `mutation($input: CreateProgramClassInput!) { createProgramClass(input: $input) { id } }`,
      { input: { programId: p.programId, facilityId: facility.id, name: 'Offered class', startDt: '2027-03-01T12:00:00Z' } },
      { token: await token(facilityAdmin) },
    );
    expect(created.errors).toBeUndefined();
    const withdraw = await gql(OFFER, { p: p.programId, f: facility.id, o: false }, { token: await token(facilityAdmin) });
    expect(withdraw.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'IN_USE', dependents: { classes: 1 } });
    const still = await db.query('SELECT 1 FROM campus.facilities_programs WHERE program_id = $1 AND facility_id = $2', [
      p.programId,
      facility.id,
    ]);
    expect(still.rowCount).toBe(1);
  });

  it('delete: refused once a class ran (archive instead), nothing removed; a program whose classes never ran is deleted with them', async () => {
    const ran = await facility.program();
    const c = await ran.class({ capacity: 3 });
    await c.enroll(await facility.resident());
    const refused = await gql(DELETE, { id: ran.id }, { token: await token(dept) });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'IN_USE', dependents: { classesThatRan: 1 } });
    expect(await programRow(ran.id)).toBeDefined();
    const archiveRefused = await gql(ARCHIVE, { id: ran.id }, { token: await token(dept) });
    expect(archiveRefused.errors![0]!.extensions).toMatchObject({ reason: 'IN_USE', dependents: { classes: 1 } });

    const never = await facility.program();
    await never.class();
    const deleted = await gql(DELETE, { id: never.id, reason: 'created by mistake' }, { token: await token(dept) });
    expect(deleted.data).toEqual({ deleteProgram: { deletedProgramId: never.id, deletedClasses: 1 } });
    expect(await programRow(never.id)).toBeUndefined();
    const log = await db.query('SELECT action, reason FROM campus.catalog_changes WHERE entity_id = $1', [never.id]);
    expect(log.rows).toEqual([{ action: 'program.deleted', reason: 'created by mistake' }]);
  });

  it('stats count enrolled, completed, completion rate and attendance rate; the CSV export uses names a person reads', async () => {
    const f = await tenant.facility({ name: `Stats facility ${suffix()}` });
    const p = await f.program();
    await gql(
      UPDATE,
      { id: p.id, input: { programTypes: ['Religious_Faith_Based', 'Life_Skills'], fundingType: 'Inmate_Welfare_Funds' } },
      { token: await token(dept) },
    );
    const c = await p.class({ capacity: 10, startDt: '2026-09-01T12:00:00Z' });
    const people = await Promise.all([f.resident(), f.resident(), f.resident(), f.resident()]);
    const ids = await c.enroll(...people);
    const event = await c.event({ startsAt: '2026-09-07T14:00:00Z', durationMinutes: 60 });
    const attended = await gql(
      ATTEND,
      {
        e: event,
        d: '2026-09-07',
        r: [
          { userId: people[0]!.id, status: 'present' },
          { userId: people[1]!.id, status: 'absent_unexcused' },
        ],
      },
      { token: await sysadmin() },
    );
    expect(attended.errors).toBeUndefined();
    await gql(CHANGE, { id: ids[0], status: 'Completed' }, { token: await sysadmin() });
    await gql(CHANGE, { id: ids[1], status: 'Incomplete_Dropped', reason: 'left' }, { token: await sysadmin() });

    const stats = await gql<{ program: { stats: Record<string, unknown> } }>(STATS, { id: p.id }, { token: await token(dept) });
    expect(stats.errors).toBeUndefined();
    expect(stats.data!.program.stats).toEqual({
      classes: 1,
      activeClasses: 1,
      enrolled: 2,
      completed: 1,
      incomplete: 1,
      completionRate: 0.5,
      attendanceRate: 0.5,
      attendance: { present: 1, recorded: 2 },
    });
    // Staff of the facility see the program, not its counts.
    const localStaff = await f.staff();
    expect(codes(await gql(STATS, { id: p.id }, { token: await token(localStaff) }))).toEqual(['FORBIDDEN']);

    const exported = await gql<{ programsExport: { rows: number; csv: string } }>(
      EXPORT,
      { f: { facilityId: f.id } },
      { token: await token(dept) },
    );
    expect(exported.errors).toBeUndefined();
    expect(exported.data!.programsExport.rows).toBe(1);
    const [header, row] = exported.data!.programsExport.csv.trim().split('\n');
    expect(header).toBe('Program,Description,Funding,Types,Facilities,Status,Enrolled,Completed,Completion rate');
    expect(row).toBe(`${p.name},,Inmate welfare funds,Religious / faith-based; Life skills,${f.name},Active,2,1,50%`);
  });
});
