import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Queue } from 'bullmq';
import { describe, expect, inject, it } from 'vitest';
import { codes } from './support/client.ts';
import { behaviorFile, ok, run, type Answer } from './support/behavior.ts';

// The CSV import as a job (startStudentImport) through the gateway: files over 10,000 rows, chunks
// of whole families each in its own transaction, progress, resume after a crash, the all-or-nothing check pass.
const START = `mutation($input: StudentImportInput!) { startStudentImport(input: $input) { id status mode totalRows progress applied } }`;
const INLINE = `mutation($input: StudentImportInput!) { importStudents(input: $input) { applied } }`;
const STATUS = `query($id: UUID!, $rows: ImportRowStatus, $after: String) { studentImport(id: $id) {
  id status phase applied dryRun totalRows processedRows progress created updated unchanged rejected familiesCreated guardiansCreated error
  finishedAt rows(status: $rows, first: 100, after: $after) { nodes { line status studentNumber studentId familyId reason column } pageInfo { hasNextPage endCursor } } } }`;

const HEADER =
  'student_id,first_name,last_name,grade_level,birth_date,guardian_first_name,guardian_last_name,guardian_relationship,guardian_email';
/** Siblings two by two, sharing a guardian's email: one family per pair. */
const pairs = (p: string, n: number, bad: Record<number, string> = {}) =>
  [
    HEADER,
    ...Array.from({ length: n }, (_, i) => {
      const k = Math.floor(i / 2);
      return `${p}-${i},First${i},Last${k},9,${bad[i] ?? ''},Pat,Last${k},parent,pat.${p}.${k}@example.org`;
    }),
  ].join('\n') + '\n';
const packed = (text: string) => gzipSync(text).toString('base64');

const suite = behaviorFile();
const count = (sql: string, params?: unknown[]) => suite.count(sql, params);

const tag = () => randomUUID().slice(0, 6);
const studentsLike = (p: string) =>
  count(`SELECT count(*) n FROM behavior.students WHERE tenant_id = $1 AND student_number LIKE $2`, [suite.w.t.id, `${p}-%`]);
type Job = Answer;

/** Polls the import until it ends, keeping every progress figure seen on the way. */
async function finished(id: string): Promise<{ job: Job; seen: number[] }> {
  const seen: number[] = [];
  for (let i = 0; i < 600; i++) {
    const job = (await ok(suite.w.admin, STATUS, { id })).studentImport as Job;
    seen.push(job.progress);
    if (job.status === 'completed' || job.status === 'failed') return { job, seen };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`import ${id} did not finish`);
}

describe('student CSV import as a job', () => {
  it('imports 12,000 rows (over one call’s 10,000) in chunks with progress; the same file again changes nothing', async () => {
    const p = tag();
    const file = packed(pairs(p, 12_000));
    const inline = await run(suite.w.admin, INLINE, { input: { csvGzipBase64: file } });
    expect(codes(inline)).toEqual(['BAD_USER_INPUT']);
    expect(inline.errors![0]!.message).toMatch(/more than 10,000 rows.*startStudentImport/);

    const started = (await ok(suite.w.admin, START, { input: { csvGzipBase64: file } })).startStudentImport;
    expect(started).toMatchObject({ status: 'queued', mode: 'job', totalRows: 12_000, progress: 0, applied: null });
    const { job, seen } = await finished(started.id);
    expect(job).toMatchObject({
      status: 'completed',
      applied: true,
      phase: 'write',
      processedRows: 12_000,
      progress: 1,
      created: 12_000,
      rejected: 0,
      familiesCreated: 6_000,
      guardiansCreated: 6_000,
      error: null,
    });
    expect(seen).toEqual([...seen].sort((a, b) => a - b)); // progress never goes back
    expect(await studentsLike(p)).toBe(12_000);
    // Six chunks of whole families: siblings always landed in one family.
    expect(await count(`SELECT chunk_count n FROM behavior.student_imports WHERE id = $1`, [started.id])).toBe(6);
    expect(
      await count(`SELECT count(DISTINCT family_id) n FROM behavior.students WHERE tenant_id = $1 AND student_number LIKE $2`, [
        suite.w.t.id,
        `${p}-%`,
      ]),
    ).toBe(6_000);
    expect(await count(`SELECT count(*) n FROM behavior.student_imports WHERE id = $1 AND file_gzip IS NULL`, [started.id])).toBe(1);
    // The report, paged in file order.
    const page1 = (await ok(suite.w.admin, STATUS, { id: started.id })).studentImport.rows;
    expect(page1.nodes).toHaveLength(100);
    expect(page1.nodes[0]).toMatchObject({ line: 2, status: 'created', studentNumber: `${p}-0` });
    const page2 = (await ok(suite.w.admin, STATUS, { id: started.id, after: page1.pageInfo.endCursor })).studentImport.rows;
    expect(page2.nodes[0].line).toBe(102);

    const changes = await count('SELECT count(*) n FROM behavior.behavior_changes WHERE tenant_id = $1', [suite.w.t.id]);
    const again = await finished((await ok(suite.w.admin, START, { input: { csvGzipBase64: file } })).startStudentImport.id);
    expect(again.job).toMatchObject({ status: 'completed', applied: true, created: 0, updated: 0, unchanged: 12_000 });
    expect(await count('SELECT count(*) n FROM behavior.behavior_changes WHERE tenant_id = $1', [suite.w.t.id])).toBe(changes);
  }, 180_000);

  it('a rejected row in the last chunk stops the whole file; allowPartial imports the rest; a dry run writes nothing', async () => {
    const p = tag();
    const file = packed(pairs(p, 4_500, { 4_400: '2011-02-30' }));
    const stopped = await finished((await ok(suite.w.admin, START, { input: { csvGzipBase64: file } })).startStudentImport.id);
    expect(stopped.job).toMatchObject({ status: 'completed', applied: false, phase: 'check', created: 4_499, rejected: 1 });
    expect(await studentsLike(p)).toBe(0);
    const rejected = (await ok(suite.w.admin, STATUS, { id: stopped.job.id, rows: 'rejected' })).studentImport.rows.nodes;
    expect(rejected).toEqual([
      expect.objectContaining({ line: 4_402, status: 'rejected', reason: 'INVALID_DATE', column: 'birth_date', studentId: null }),
    ]);

    const dry = await finished(
      (await ok(suite.w.admin, START, { input: { csvGzipBase64: file, dryRun: true, allowPartial: true } })).startStudentImport.id,
    );
    expect(dry.job).toMatchObject({ status: 'completed', applied: false, dryRun: true, created: 4_499, rejected: 1 });
    expect(await studentsLike(p)).toBe(0);

    const partial = await finished(
      (await ok(suite.w.admin, START, { input: { csvGzipBase64: file, allowPartial: true } })).startStudentImport.id,
    );
    expect(partial.job).toMatchObject({ status: 'completed', applied: true, created: 4_499, rejected: 1 });
    expect(await studentsLike(p)).toBe(4_499);
  }, 120_000);

  it('a job that stopped after a committed chunk resumes after it', async () => {
    const p = tag();
    const text = pairs(p, 4_500);
    // A real first run of the first chunk's rows (the first 1,000 families), for a real starter identity.
    const first = text.split('\n').slice(0, 2_001).join('\n') + '\n';
    const done = await finished((await ok(suite.w.admin, START, { input: { csv: first, allowPartial: true } })).startStudentImport.id);
    expect(done.job).toMatchObject({ created: 2_000 });
    // The state a crash after chunk 1 of the whole file leaves: running, one chunk committed.
    const id = randomUUID();
    await suite.db.query(
      `INSERT INTO behavior.student_imports (id, tenant_id, actor_id, file_sha256, row_count, created, updated, unchanged, rejected,
         mode, status, allow_partial, applied, phase, chunks_done, chunk_count, processed_rows, file_gzip, actor, facility_id, started_at)
       SELECT $1, tenant_id, actor_id, 'sha', 4500, 2000, 0, 0, 0, 'job', 'running', true, false, 'write', 1, 3, 2000, $2, actor, facility_id, now()
       FROM behavior.student_imports WHERE id = $3`,
      [id, gzipSync(text), done.job.id],
    );
    // Its job again, as the subgraph's start would add it.
    const queue = new Queue('behavior', { prefix: 'pathway:jobs', connection: { url: inject('redisUrl') } });
    await queue.add('students.import', { importId: id });
    await queue.close();
    const resumed = await finished(id);
    // Chunk 1 was not gone through again (it would count 2,000 unchanged).
    expect(resumed.job).toMatchObject({ status: 'completed', applied: true, created: 4_500, unchanged: 0, processedRows: 4_500 });
    expect(await studentsLike(p)).toBe(4_500);
  }, 120_000);

  it('a job that fails on every try ends failed, saying how far it got and what to do', async () => {
    const done = await finished(
      (await ok(suite.w.admin, START, { input: { csv: pairs(tag(), 2), allowPartial: true } })).startStudentImport.id,
    );
    // A kept file that cannot be read back (it is not gzip): every try throws.
    const id = randomUUID();
    await suite.db.query(
      `INSERT INTO behavior.student_imports (id, tenant_id, actor_id, file_sha256, row_count, created, updated, unchanged, rejected,
         mode, status, applied, file_gzip, actor, facility_id)
       SELECT $1, tenant_id, actor_id, 'sha', 2, 0, 0, 0, 0, 'job', 'queued', false, $2, actor, facility_id
       FROM behavior.student_imports WHERE id = $3`,
      [id, Buffer.from('not gzip at all'), done.job.id],
    );
    const queue = new Queue('behavior', { prefix: 'pathway:jobs', connection: { url: inject('redisUrl') } });
    await queue.add('students.import', { importId: id }, { attempts: 3, backoff: { type: 'fixed', delay: 100 } });
    await queue.close();
    const failed = await finished(id);
    expect(failed.job).toMatchObject({ status: 'failed', applied: null, created: 0 });
    expect(failed.job.error).toMatch(/after 3 tries.*import the file again/);
    expect(failed.job.error).not.toMatch(/gzip|zlib|header/i); // the cause is in the logs, not the answer
    expect(await count(`SELECT count(*) n FROM behavior.student_imports WHERE id = $1 AND file_gzip IS NULL`, [id])).toBe(1);
  }, 60_000);

  it('refuses other roles and bad files, queueing nothing; only the starter and tenant administrators see an import', async () => {
    const p = tag();
    const imports = () => count('SELECT count(*) n FROM behavior.student_imports WHERE tenant_id = $1', [suite.w.t.id]);
    const before = await imports();
    for (const who of [suite.w.teacher, suite.w.guardian])
      expect(codes(await run(who, START, { input: { csv: pairs(p, 2) } }))).toEqual(['FORBIDDEN']);
    expect(codes(await run(suite.w.admin, START, { input: { csv: 'student_id,first_name\nS1,A\n' } }))).toEqual(['BAD_USER_INPUT']);
    const tooMany = await run(suite.w.admin, START, { input: { csvGzipBase64: packed(pairs(p, 50_001)) } });
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
    expect(tooMany.errors![0]!.message).toMatch(/more than 50,000 rows/);
    expect(codes(await run(suite.w.admin, START, { input: { csv: pairs(p, 2), facilityId: randomUUID() } }))).toEqual(['NOT_FOUND']);
    expect(await imports()).toBe(before);

    const id = (await ok(suite.w.admin, START, { input: { csv: pairs(p, 2) } })).startStudentImport.id;
    await finished(id);
    const otherAdmin = await (await suite.w.t.facility()).facilityAdmin();
    expect((await ok(otherAdmin, `query($id: UUID!) { studentImport(id: $id) { id } }`, { id })).studentImport).toBeNull();
    expect((await ok(suite.w.foreignAdmin, `query($id: UUID!) { studentImport(id: $id) { id } }`, { id })).studentImport).toBeNull();
    expect(codes(await run(suite.w.teacher, `query($id: UUID!) { studentImport(id: $id) { id } }`, { id }))).toEqual(['FORBIDDEN']);
    const tenantAdmin = await suite.w.t.departmentAdmin();
    expect((await ok(tenantAdmin, `query($id: UUID!) { studentImport(id: $id) { id created } }`, { id })).studentImport).toEqual({
      id,
      created: 2,
    });
    const listed = await ok(suite.w.admin, `{ studentImports(first: 5, filter: { status: completed }) { nodes { id startedBy } } }`);
    expect(listed.studentImports.nodes[0]).toEqual({ id, startedBy: suite.w.admin.id });
  }, 60_000);
});
