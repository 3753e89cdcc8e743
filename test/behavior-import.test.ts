import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codes } from './support/client.ts';
import { behaviorWorld, ok, ownerDb, run, type BehaviorWorld } from './support/behavior.ts';

// The CSV import (seed 002's pipeline) through the gateway, in a tenant of this file's own.
const IMPORT = `mutation($input: StudentImportInput!) { importStudents(input: $input) {
  importId dryRun applied totalRows created updated unchanged rejected familiesCreated guardiansCreated guardiansUpdated
  rows { line studentNumber status studentId familyId reason column message } } }`;

const HEADER =
  'student_id,first_name,last_name,grade_level,birth_date,address,guardian_first_name,guardian_last_name,guardian_relationship,guardian_email,guardian_phone,info_iep';
type Row = Partial<
  Record<'id' | 'first' | 'last' | 'grade' | 'birth' | 'address' | 'gFirst' | 'gLast' | 'rel' | 'email' | 'phone' | 'iep', string>
>;
const line = (r: Row) =>
  [
    r.id,
    r.first ?? 'Ada',
    r.last ?? 'Stone',
    r.grade ?? '9',
    r.birth ?? '',
    r.address ?? '',
    r.gFirst ?? '',
    r.gLast ?? '',
    r.rel ?? '',
    r.email ?? '',
    r.phone ?? '',
    r.iep ?? '',
  ]
    .map((v) => (v!.includes(',') ? `"${v}"` : v))
    .join(',');
const csv = (rows: Row[]) => [HEADER, ...rows.map(line)].join('\n') + '\n';

let w: BehaviorWorld;
let db: pg.Client;
let count: (sql: string, params?: unknown[]) => Promise<number>;
beforeAll(async () => {
  w = await behaviorWorld();
  ({ db, count } = await ownerDb());
});
afterAll(() => db?.end());

const tag = () => randomUUID().slice(0, 6);
const studentsLike = (prefix: string) =>
  count(`SELECT count(*) n FROM behavior.students WHERE tenant_id = $1 AND student_number LIKE $2`, [w.t.id, `${prefix}%`]);
const changesOf = () => count('SELECT count(*) n FROM behavior.behavior_changes WHERE tenant_id = $1', [w.t.id]);

function family(p: string): Row[] {
  return [
    // Siblings sharing a guardian email: one family, one guardian.
    {
      id: `${p}-1`,
      first: 'Maya',
      last: 'Reyes',
      birth: '2011-03-04',
      gFirst: 'Ana',
      gLast: 'Reyes',
      rel: 'mother',
      email: `ana.${p}@example.org`,
      iep: 'yes',
    },
    { id: `${p}-2`, first: 'Leo', last: 'Reyes', gFirst: 'Ana', gLast: 'Reyes', rel: 'mother', email: `ANA.${p}@example.org` },
    // Shares an address (written differently) with the next row: one family.
    {
      id: `${p}-3`,
      first: 'Kai',
      last: 'Moss',
      address: `12 Elm St., Apt ${p}`,
      gFirst: 'Bo',
      gLast: 'Moss',
      phone: `+1 (585) 555-${p.slice(0, 4).replace(/\D/g, '7').padEnd(4, '7')}`,
    },
    { id: `${p}-4`, first: 'Ivy', last: 'Moss', address: `12 elm st apt ${p}` },
    // No contact at all: a student without a family.
    { id: `${p}-5`, first: 'Sol', last: 'Lone' },
  ];
}

describe('student CSV import', () => {
  it('creates students, normalizes families, infers guardians, reports every row; the same file again changes nothing', async () => {
    const p = tag();
    const file = csv(family(p));
    const first = await ok(w.admin, IMPORT, { input: { csv: file } });
    expect(first.importStudents).toMatchObject({
      applied: true,
      dryRun: false,
      totalRows: 5,
      created: 5,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      familiesCreated: 2,
      guardiansCreated: 2,
    });
    const rows = first.importStudents.rows;
    expect(rows.map((r: { line: number; status: string }) => [r.line, r.status])).toEqual([
      [2, 'created'],
      [3, 'created'],
      [4, 'created'],
      [5, 'created'],
      [6, 'created'],
    ]);
    expect(rows[0].familyId).toBe(rows[1].familyId);
    expect(rows[2].familyId).toBe(rows[3].familyId);
    expect(rows[0].familyId).not.toBe(rows[2].familyId);
    expect(rows[4].familyId).toBeNull();

    const maya = await ok(
      w.admin,
      `query($id: UUID!) { student(id: $id) { birthDate additionalInfo facility { id } family { guardians { nodes { name relationship email } } } } }`,
      { id: rows[0].studentId },
    );
    expect(maya.student).toEqual({
      birthDate: '2011-03-04',
      additionalInfo: { iep: 'yes' },
      facility: { id: w.f.id },
      family: { guardians: { nodes: [{ name: 'Ana Reyes', relationship: 'mother', email: `ana.${p}@example.org` }] } },
    });

    const lines = await changesOf();
    const again = await ok(w.admin, IMPORT, { input: { csv: file } });
    expect(again.importStudents).toMatchObject({
      applied: true,
      created: 0,
      updated: 0,
      unchanged: 5,
      rejected: 0,
      familiesCreated: 0,
      guardiansCreated: 0,
      guardiansUpdated: 0,
    });
    expect(await changesOf()).toBe(lines);
    expect(await studentsLike(`${p}-`)).toBe(5);

    // One grade and one guardian relationship changed: one row updated, one guardian updated, the rest unchanged.
    const changed = family(p);
    changed[1]!.grade = '10';
    changed[2]!.rel = 'grandfather';
    const third = await ok(w.admin, IMPORT, { input: { csv: csv(changed) } });
    expect(third.importStudents).toMatchObject({ created: 0, updated: 1, unchanged: 4, guardiansUpdated: 1, familiesCreated: 0 });
    expect(third.importStudents.rows[1]).toMatchObject({ status: 'updated', studentNumber: `${p}-2` });
    const history = await db.query(
      `SELECT before, after, reason FROM behavior.behavior_changes WHERE entity_id = $1 AND action = 'student.updated'`,
      [rows[1].studentId],
    );
    expect(history.rows).toEqual([
      { before: { gradeLevel: '9' }, after: { gradeLevel: '10' }, reason: `CSV import ${third.importStudents.importId}` },
    ]);
  });

  it('a dry run reports without writing; rejected rows stop the import unless allowPartial', async () => {
    const p = tag();
    const dry = await ok(w.admin, IMPORT, { input: { csv: csv(family(p)), dryRun: true } });
    expect(dry.importStudents).toMatchObject({ dryRun: true, applied: false, created: 5, familiesCreated: 2 });
    expect(await studentsLike(`${p}-`)).toBe(0);

    const rows: Row[] = [
      { id: `${p}-a` },
      { id: `${p}-b`, birth: '2011-02-30' },
      { id: `${p}-c` },
      { id: `${p}-c`, first: 'Twin' },
      { id: `${p}-d`, first: '' },
      { id: `${p}-e`, gFirst: 'X', gLast: 'Y', email: 'not-an-email' },
      { id: `${p}-f`, gLast: 'Only', phone: '555-0100' },
    ];
    const stopped = await ok(w.admin, IMPORT, { input: { csv: csv(rows) } });
    expect(stopped.importStudents).toMatchObject({ applied: false, created: 1, rejected: 6 });
    const rejected = stopped.importStudents.rows.filter((r: { status: string }) => r.status === 'rejected');
    expect(rejected.map((r: { line: number; reason: string; column: string }) => [r.line, r.reason, r.column])).toEqual([
      [3, 'INVALID_DATE', 'birth_date'],
      [4, 'DUPLICATE_IN_FILE', 'student_id'],
      [5, 'DUPLICATE_IN_FILE', 'student_id'],
      [6, 'MISSING_VALUE', 'first_name'],
      [7, 'INVALID_EMAIL', 'guardian_email'],
      [8, 'MISSING_VALUE', 'guardian_first_name'],
    ]);
    expect(await studentsLike(`${p}-`)).toBe(0);

    const partial = await ok(w.admin, IMPORT, { input: { csv: csv(rows), allowPartial: true } });
    expect(partial.importStudents).toMatchObject({ applied: true, created: 1, rejected: 6 });
    expect(await studentsLike(`${p}-`)).toBe(1);
  });

  it('refuses files with wrong columns, not CSV, both or neither inputs, and too big files; nothing is written', async () => {
    const before = await count('SELECT count(*) n FROM behavior.students WHERE tenant_id = $1', [w.t.id]);
    const bad = async (input: Record<string, unknown>) => {
      const res = await run(w.admin, IMPORT, { input });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      return res.errors![0]!.extensions!.fieldErrors as Record<string, string>;
    };
    expect(await bad({ csv: 'student_id,first_name,grade_level\nS1,A,9\n' })).toMatchObject({ columns: 'missing last_name' });
    expect(await bad({ csv: `${HEADER},shoe_size\n` })).toHaveProperty('unknownColumns');
    expect(await bad({ csv: `${HEADER}\n"S1,unterminated\n` })).toHaveProperty('csv');
    expect(await bad({ csv: `${HEADER}\nS1,A,B\n` })).toHaveProperty('csv'); // wrong number of fields
    expect(await bad({ csv: `${HEADER}\n` })).toHaveProperty('csv');
    expect(await bad({})).toHaveProperty('csv');
    expect(await bad({ csv: HEADER, csvGzipBase64: 'H4sI' })).toHaveProperty('csv');
    expect(await bad({ csvGzipBase64: 'not gzip' })).toHaveProperty('csvGzipBase64');
    // A 50 MB file: gzip packs it under the request limit, unpacking stops at 20 MB.
    const huge = gzipSync(Buffer.alloc(50 * 1024 * 1024, 'a')).toString('base64');
    expect(await bad({ csvGzipBase64: huge })).toMatchObject({ csvGzipBase64: 'larger than 20 MB unpacked' });
    // Sent as text, the gateway's 1 MB request limit answers first.
    const res = await fetch(inject('gatewayUrl'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${(await w.admin.api()).accessToken}` },
      body: JSON.stringify({ query: IMPORT, variables: { input: { csv: 'x'.repeat(2 * 1024 * 1024) } } }),
    });
    expect(res.status).toBe(413);
    expect(await count('SELECT count(*) n FROM behavior.students WHERE tenant_id = $1', [w.t.id])).toBe(before);
  });

  it('refuses staff, guardians and analysts; rows of students out of reach are rejected; other tenants are apart', async () => {
    const p = tag();
    const file = csv([{ id: `${p}-1` }]);
    for (const who of [w.teacher, w.guardian, w.analyst, w.studentUser])
      expect({ who: who.role, codes: codes(await run(who, IMPORT, { input: { csv: file } })) }).toEqual({
        who: who.role,
        codes: ['FORBIDDEN'],
      });
    expect(await studentsLike(`${p}-`)).toBe(0);

    // A student of another facility of the tenant: its number is taken, the admin may not change it.
    const otherFacility = await w.t.facility();
    const otherAdmin = await otherFacility.facilityAdmin();
    await ok(otherAdmin, IMPORT, { input: { csv: csv([{ id: `${p}-x`, first: 'Theirs' }]) } });
    const clash = await ok(w.admin, IMPORT, { input: { csv: csv([{ id: `${p}-x`, first: 'Mine' }, { id: `${p}-y` }]) } });
    expect(clash.importStudents).toMatchObject({ applied: false, created: 1, rejected: 1 });
    expect(clash.importStudents.rows[0]).toMatchObject({ status: 'rejected', reason: 'OUT_OF_REACH', column: 'student_id' });
    expect(await count(`SELECT count(*) n FROM behavior.students WHERE student_number = $1 AND first_name = 'Theirs'`, [`${p}-x`])).toBe(1);
    // Another tenant may use the same numbers: its import creates its own students.
    const foreign = await ok(w.foreignAdmin, IMPORT, { input: { csv: csv([{ id: `${p}-x` }]) } });
    expect(foreign.importStudents).toMatchObject({ applied: true, created: 1 });
    // A facility admin cannot send new students to another facility.
    expect(codes(await run(w.admin, IMPORT, { input: { csv: file, facilityId: otherFacility.id } }))).toEqual(['NOT_FOUND']);
  });

  it('imports 2,000 gzip-compressed rows in one call, and again with nothing to change', async () => {
    const p = tag();
    const rows = Array.from({ length: 2000 }, (_, i): Row => ({
      id: `${p}-${i}`,
      first: `First${i}`,
      last: `Last${Math.floor(i / 2)}`,
      gFirst: 'Pat',
      gLast: `Last${Math.floor(i / 2)}`,
      email: `pat.${p}.${Math.floor(i / 2)}@example.org`,
    }));
    const packed = gzipSync(csv(rows)).toString('base64');
    const first = await ok(w.admin, IMPORT, { input: { csvGzipBase64: packed } });
    expect(first.importStudents).toMatchObject({
      applied: true,
      created: 2000,
      familiesCreated: 1000,
      guardiansCreated: 1000,
      rejected: 0,
    });
    const again = await ok(w.admin, IMPORT, { input: { csvGzipBase64: packed } });
    expect(again.importStudents).toMatchObject({ applied: true, created: 0, unchanged: 2000, familiesCreated: 0, guardiansCreated: 0 });
    expect(await studentsLike(`${p}-`)).toBe(2000);
  });
});
