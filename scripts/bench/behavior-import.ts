// The behavior CSV import (importStudents) through the gateway: BENCH_IMPORT_ROWS (10,000) rows, sent
// gzip + base64 (plain text of that size passes the 1 MB request limit), as the demo facility admin.
// Per run (BENCH_IMPORT_RUNS, 3, each with new student ids): the first import (everything created:
// students, families of two siblings sharing a guardian email, their guardians, the change log) and
// the same file again (everything unchanged, nothing written). Prints each run and the medians.
// Then one file of BENCH_IMPORT_JOB_ROWS (50,000; 0 skips it) as a job (startStudentImport): the
// time from the call to `completed`, polled every 250 ms, first and again.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { users } from '../demo/ids.ts';
import { benchStack, gql, loginAs, percentile } from './support.ts';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 3);
const JOB_ROWS = Number(process.env.BENCH_IMPORT_JOB_ROWS ?? 50_000);
const START = `mutation($input: StudentImportInput!) { startStudentImport(input: $input) { id } }`;
const STATUS = `query($id: UUID!) { studentImport(id: $id) { status applied created unchanged rejected processedRows error } }`;
const IMPORT = `mutation($input: StudentImportInput!) { importStudents(input: $input) { applied created unchanged rejected familiesCreated guardiansCreated } }`;

export function importFile(rows: number, prefix = randomUUID().slice(0, 6)): string {
  const header =
    'student_id,first_name,last_name,grade_level,birth_date,address,guardian_first_name,guardian_last_name,guardian_relationship,guardian_email,guardian_phone';
  const lines = Array.from({ length: rows }, (_, i) => {
    const family = i >> 1;
    return `${prefix}-${i},First${i},Last${family},${(i % 12) + 1},2010-01-0${(i % 9) + 1},${family} Main St,Pat,Last${family},mother,pat.${prefix}.${family}@example.org,+1 585 555 ${String(family % 10000).padStart(4, '0')}`;
  });
  return [header, ...lines].join('\n') + '\n';
}

/** A job from startStudentImport to completed (or failed), in ms. */
async function timedJob(url: string, token: string, packed: string) {
  const started = performance.now();
  const res = await gql<{ startStudentImport: { id: string } }>(url, START, { input: { csvGzipBase64: packed } }, token);
  if (!res.data) throw new Error(`import failed to start: ${JSON.stringify(res.errors)}`);
  for (;;) {
    const status = await gql<{ studentImport: Record<string, unknown> }>(url, STATUS, { id: res.data.startStudentImport.id }, token);
    const job = status.data?.studentImport;
    if (job?.status === 'completed' || job?.status === 'failed') return { ms: performance.now() - started, report: job };
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function timed(url: string, token: string, packed: string) {
  const started = performance.now();
  const res = await gql<{ importStudents: Record<string, unknown> }>(url, IMPORT, { input: { csvGzipBase64: packed } }, token);
  const ms = performance.now() - started;
  if (!res.data) throw new Error(`import failed: ${JSON.stringify(res.errors)}`);
  return { ms, report: res.data.importStudents };
}

export async function run(): Promise<void> {
  const stack = await benchStack('behavior_import');
  try {
    const token = await loginAs(stack.gatewayUrl, users.facilityAdmin.username);
    const first: number[] = [];
    const again: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const text = importFile(ROWS);
      const packed = gzipSync(text).toString('base64');
      const a = await timed(stack.gatewayUrl, token, packed);
      const b = await timed(stack.gatewayUrl, token, packed);
      first.push(a.ms);
      again.push(b.ms);
      console.log(
        `run ${i + 1}: ${ROWS} rows (${(text.length / 1e6).toFixed(2)} MB CSV, ${(packed.length / 1e3).toFixed(0)} KB sent): ` +
          `first ${a.ms.toFixed(0)} ms ${JSON.stringify(a.report)} | again ${b.ms.toFixed(0)} ms ${JSON.stringify(b.report)}`,
      );
    }
    const median = (xs: number[]) =>
      percentile(
        [...xs].sort((x, y) => x - y),
        50,
      );
    console.log(`median of ${RUNS}: first import ${median(first).toFixed(0)} ms, re-import ${median(again).toFixed(0)} ms`);
    if (JOB_ROWS > 0) {
      const packed = gzipSync(importFile(JOB_ROWS)).toString('base64');
      const a = await timedJob(stack.gatewayUrl, token, packed);
      const b = await timedJob(stack.gatewayUrl, token, packed);
      console.log(
        `job of ${JOB_ROWS} rows (${(packed.length / 1e3).toFixed(0)} KB sent): first ${a.ms.toFixed(0)} ms ` +
          `(${((JOB_ROWS / a.ms) * 1000).toFixed(0)} rows/s) ${JSON.stringify(a.report)} | again ${b.ms.toFixed(0)} ms ${JSON.stringify(b.report)}`,
      );
    }
  } finally {
    await stack.dispose();
  }
}
