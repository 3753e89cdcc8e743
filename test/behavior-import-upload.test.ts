import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import { codes } from './support/client.ts';
import { behaviorFile, ok, run, type Answer } from './support/behavior.ts';
import type { SeededPerson } from './support/seed.ts';

// A CSV file sent to the gateway as a real multipart/form-data upload (POST /uploads/student-imports),
// then imported by its uploadId.
const IMPORT = `mutation($input: StudentImportInput!) { importStudents(input: $input) { applied dryRun created rejected } }`;
const START = `mutation($input: StudentImportInput!) { startStudentImport(input: $input) { id } }`;
const STATUS = `query($id: UUID!) { studentImport(id: $id) { status applied created } }`;

const HEADER = 'student_id,first_name,last_name,grade_level';
const file = (p: string, n: number) => [HEADER, ...Array.from({ length: n }, (_, i) => `${p}-${i},Ada${i},Stone,9`)].join('\n') + '\n';

const suite = behaviorFile();
const count = (sql: string, params?: unknown[]) => suite.count(sql, params);

const uploadUrl = () => new URL('/uploads/student-imports', inject('gatewayUrl')).toString();
const studentsLike = (p: string) =>
  count(`SELECT count(*) n FROM behavior.students WHERE tenant_id = $1 AND student_number LIKE $2`, [suite.w.t.id, `${p}-%`]);

async function upload(who: SeededPerson | null, content: Buffer | string, part = 'file') {
  const form = new FormData();
  form.append(part, new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), 'students.csv');
  const headers: Record<string, string> = who ? { authorization: `Bearer ${(await who.api()).accessToken}` } : {};
  const res = await fetch(uploadUrl(), { method: 'POST', body: form, headers });
  return { status: res.status, body: (await res.json()) as Answer };
}

describe('student CSV import from a multipart upload', () => {
  it('stages a plain or gzip file and imports it by uploadId: a dry run, then the import, then as a job', async () => {
    const p = randomUUID().slice(0, 6);
    const text = file(p, 30);
    const plain = await upload(suite.w.admin, text);
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({ bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') });
    expect(Date.parse(plain.body.expiresAt)).toBeGreaterThan(Date.now() + 50 * 60_000);

    const dry = await ok(suite.w.admin, IMPORT, { input: { uploadId: plain.body.uploadId, dryRun: true } });
    expect(dry.importStudents).toEqual({ applied: false, dryRun: true, created: 30, rejected: 0 });
    expect(await studentsLike(p)).toBe(0);
    const done = await ok(suite.w.admin, IMPORT, { input: { uploadId: plain.body.uploadId } });
    expect(done.importStudents).toMatchObject({ applied: true, created: 30 });
    expect(await studentsLike(p)).toBe(30);

    const q = randomUUID().slice(0, 6);
    const packed = await upload(suite.w.admin, gzipSync(file(q, 12)));
    expect(packed.status).toBe(201);
    expect(packed.body.bytes).toBe(Buffer.byteLength(file(q, 12)));
    const id = (await ok(suite.w.admin, START, { input: { uploadId: packed.body.uploadId } })).startStudentImport.id;
    let job: Answer = {};
    for (let i = 0; i < 100 && job.status !== 'completed'; i++) {
      job = (await ok(suite.w.admin, STATUS, { id })).studentImport;
      if (job.status !== 'completed') await new Promise((r) => setTimeout(r, 200));
    }
    expect(job).toEqual({ status: 'completed', applied: true, created: 12 });
  });

  it('an upload is its sender’s only: another administrator’s uploadId, an unknown one or two sources are refused, nothing written', async () => {
    const p = randomUUID().slice(0, 6);
    const staged = await upload(suite.w.admin, file(p, 3));
    const otherAdmin = await (await suite.w.t.facility()).facilityAdmin();
    for (const who of [otherAdmin, suite.w.foreignAdmin])
      expect(codes(await run(who, IMPORT, { input: { uploadId: staged.body.uploadId } }))).toEqual(['NOT_FOUND']);
    expect(codes(await run(suite.w.admin, IMPORT, { input: { uploadId: randomUUID() } }))).toEqual(['NOT_FOUND']);
    expect(codes(await run(suite.w.admin, IMPORT, { input: { uploadId: staged.body.uploadId, csv: file(p, 1) } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await run(suite.w.admin, IMPORT, { input: { uploadId: 'not-a-uuid' } }))).toEqual(['BAD_USER_INPUT']);
    expect(await studentsLike(p)).toBe(0);
  });

  it('refuses anonymous and unpermitted senders, wrong parts, other bodies and files over 20 MB, with a JSON error', async () => {
    const text = file('x', 2);
    expect(await upload(null, text)).toMatchObject({ status: 401, body: { errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] } });
    for (const who of [suite.w.teacher, suite.w.guardian])
      expect(await upload(who, text)).toMatchObject({ status: 403, body: { errors: [{ extensions: { code: 'FORBIDDEN' } }] } });
    expect(await upload(suite.w.admin, text, 'csv')).toMatchObject({
      status: 400,
      body: { errors: [{ message: expect.stringMatching(/`file`/) }] },
    });
    const token = (await suite.w.admin.api()).accessToken;
    const json = await fetch(uploadUrl(), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ csv: text }),
    });
    expect(json.status).toBe(415);
    expect(await upload(suite.w.admin, Buffer.alloc(21 * 1024 * 1024, 'a'))).toMatchObject({
      status: 413,
      body: { errors: [{ message: expect.stringMatching(/20 MB/) }] },
    });
    // 50 MB packed small: refused while unpacking.
    expect(await upload(suite.w.admin, gzipSync(Buffer.alloc(50 * 1024 * 1024, 'a')))).toMatchObject({ status: 413 });
    expect(await upload(suite.w.admin, Buffer.from([0x1f, 0x8b, 1, 2, 3]))).toMatchObject({ status: 400 });
  });
});
