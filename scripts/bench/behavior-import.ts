// The behavior CSV import (importStudents) through the gateway: BENCH_IMPORT_ROWS (10,000) rows, sent
// gzip + base64 (plain text of that size passes the 1 MB request limit), as the demo facility admin.
// Per run (BENCH_IMPORT_RUNS, 3, each with new student ids): the first import (everything created:
// students, families of two siblings sharing a guardian email, their guardians, the change log) and
// the same file again (everything unchanged, nothing written). Prints each run and the medians.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { users } from '../demo/ids.ts';
import { benchStack, gql, loginAs, percentile } from './support.ts';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 3);
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
  } finally {
    await stack.dispose();
  }
}
