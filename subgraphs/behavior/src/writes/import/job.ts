import { createHash, randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { uuidArg, withScope, type Identity, type JobRun, type References } from '@pathway/kit';
import { studentReachSettings } from '../../access.ts';
import type { BehaviorDeps } from '../../context.ts';
import { recordActivity } from '../../data/activity.ts';
import type { StudentImportInput } from '../../generated/graphql.ts';
import type { Prisma, StudentImport } from '../../generated/prisma/client.ts';
import { groupFamilies } from './families.ts';
import { assertImporter, importFacility, type StagedFiles } from './index.ts';
import { csvText, JOB_MAX_ROWS, readCsv, type Rejection, type StudentRow } from './parse.ts';
import { planImport, type ImportPlan, type Placement } from './plan.ts';
import { validateRows } from './rows.ts';
import { applyPlan } from './write.ts';
import { insertRows, type Column } from './bulk.ts';

type Tx = Prisma.TransactionClient;

/**
 * The CSV import as a job (startStudentImport), for files one transaction should not hold: the
 * file is kept (gzip) on its student_imports row, and the job goes through it in chunks of whole
 * families (a family never spans two chunks, so correlation sees the same groups as one call
 * would), each chunk one transaction that also records its report rows and moves the progress on.
 * A retried job resumes after the last chunk committed. Without allowPartial a check pass plans
 * every chunk first and writes nothing if any row is rejected; a dry run is that pass alone.
 */

/** Rows per chunk (whole families are kept together, so a chunk may run a little over). */
export const CHUNK_ROWS = 2_000;

interface Chunk {
  rows: StudentRow[];
  rejected: Rejection[];
  size: number;
}

/** Splits the valid rows into chunks of whole families; the rows rejected by validation go with the first. */
export function chunkRows(rows: StudentRow[], rejected: Rejection[], size = CHUNK_ROWS): Chunk[] {
  const chunks: StudentRow[][] = [];
  let current: StudentRow[] = [];
  for (const group of groupFamilies(rows)) {
    if (current.length > 0 && current.length + group.length > size) {
      chunks.push(current);
      current = [];
    }
    current.push(...group);
  }
  if (current.length > 0 || chunks.length === 0) chunks.push(current);
  return chunks.map((c, i) => ({ rows: c, rejected: i === 0 ? rejected : [], size: c.length + (i === 0 ? rejected.length : 0) }));
}

/** startStudentImport: the columns checked, the file kept, the row queued (its job is added once this commits). */
export async function queueStudentImport(
  tx: Tx,
  identity: Identity,
  refs: References,
  input: StudentImportInput,
  uploads: StagedFiles,
): Promise<StudentImport> {
  assertImporter(identity);
  const placement = await importFacility(refs, identity, uuidArg(input.facilityId, 'facilityId'));
  const text = await csvText(input, uploads);
  const { records } = readCsv(text, JOB_MAX_ROWS);
  return tx.studentImport.create({
    data: {
      id: randomUUID(),
      tenantId: identity.tenantId,
      actorId: identity.userId,
      fileSha256: createHash('sha256').update(text).digest('hex'),
      rowCount: records.length,
      created: 0,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      mode: 'job',
      status: 'queued',
      dryRun: input.dryRun ?? false,
      allowPartial: input.allowPartial ?? false,
      applied: false,
      fileGzip: gzipSync(text),
      actor: identity as unknown as Prisma.InputJsonValue,
      ...placement,
    },
  });
}

const counts = (plan: ImportPlan) => {
  const n = (status: string) => plan.report.filter((r) => r.status === status).length;
  return {
    created: { increment: n('created') },
    updated: { increment: n('updated') },
    unchanged: { increment: n('unchanged') },
    rejected: { increment: n('rejected') },
    familiesCreated: { increment: plan.newFamilies.length },
    guardiansCreated: { increment: plan.newGuardians.length },
    guardiansUpdated: { increment: plan.changedGuardians.length },
  };
};
const ZERO = { created: 0, updated: 0, unchanged: 0, rejected: 0, familiesCreated: 0, guardiansCreated: 0, guardiansUpdated: 0 };

type ReportRow = ImportPlan['report'][number];
const REPORT_ROW = (job: StudentImport): Column<ReportRow>[] => [
  ['import_id', 'uuid', () => job.id],
  ['tenant_id', 'uuid', () => job.tenantId],
  ['line', 'int', (r) => r.line],
  ['student_number', 'text', (r) => r.studentNumber],
  ['status', 'text', (r) => r.status],
  ['student_id', 'uuid', (r) => r.studentId],
  ['family_id', 'uuid', (r) => r.familyId],
  ['reason', 'text', (r) => r.rejection?.reason],
  ['column', 'text', (r) => r.rejection?.column],
  ['message', 'text', (r) => r.rejection?.message],
];

/** The chunk's report rows, in one bulk statement (Prisma's createMany would spend seconds compiling 2,000 rows). */
const saveRows = (tx: Tx, job: StudentImport, plan: ImportPlan) => insertRows(tx, 'student_import_rows', REPORT_ROW(job), plan.report);

const asService = <R>(deps: BehaviorDeps, fn: (tx: Tx) => Promise<R>) => withScope(deps.prisma, 'service', fn);

/** The job's run: resumes where the last committed chunk left it; a run of a finished import does nothing. */
export async function runStudentImport(deps: BehaviorDeps, importId: string, run: JobRun): Promise<void> {
  let job = await asService(deps, (tx) => tx.studentImport.findUnique({ where: { id: importId } }));
  if (!job || job.mode !== 'job' || job.status === 'completed' || job.status === 'failed' || !job.fileGzip) return;
  try {
    await goThrough(deps, job, run);
  } catch (error) {
    if (run.signal.aborted || !run.lastAttempt) throw error; // back to the queue: the next run resumes
    deps.log.error({ err: error, importId }, 'student import failed');
    job = await asService(deps, (tx) => tx.studentImport.findUniqueOrThrow({ where: { id: importId } }));
    await asService(deps, (tx) =>
      tx.studentImport.update({
        where: { id: importId },
        data: {
          status: 'failed',
          finishedAt: new Date(),
          fileGzip: null,
          error:
            `The import stopped on an unexpected error after ${run.attempt} tries, ${progressOf(job!)}. Chunks written ` +
            `stay written; import the file again to finish (rows already imported are then unchanged).`,
        },
      }),
    );
  }
}

const progressOf = (job: StudentImport) =>
  job.phase ? `in its ${job.phase} pass after ${job.chunksDone} of ${job.chunkCount} chunks` : 'before its first chunk';

async function goThrough(deps: BehaviorDeps, start: StudentImport, run: JobRun): Promise<void> {
  const identity = start.actor as unknown as Identity;
  const asCaller = <R>(fn: (tx: Tx) => Promise<R>) => withScope(deps.prisma, identity, fn, studentReachSettings(identity));
  const { columns, records } = readCsv(gunzipSync(start.fileGzip!).toString('utf8'), JOB_MAX_ROWS);
  const { rows, rejected } = validateRows(columns, records);
  const chunks = chunkRows(rows, rejected);
  const placement: Placement = { facilityId: start.facilityId, facilityTimezone: start.facilityTimezone };
  const checkFirst = start.dryRun || !start.allowPartial;
  let job = await asService(deps, (tx) =>
    tx.studentImport.update({
      where: { id: start.id },
      data: {
        status: 'running',
        startedAt: start.startedAt ?? new Date(),
        phase: start.phase ?? (checkFirst ? 'check' : 'write'),
        chunkCount: chunks.length,
      },
    }),
  );

  // One pass over the chunks from where the last run stopped; `write` applies each plan in its chunk's transaction.
  const pass = async (write: boolean) => {
    for (let i = job.chunksDone; i < chunks.length; i++) {
      if (run.signal.aborted) throw new Error('shutting down: the import resumes on the next run');
      const chunk = chunks[i]!;
      job = await asCaller(async (tx) => {
        const plan = await planImport(tx, identity, placement, chunk.rows, chunk.rejected);
        if (write) await applyPlan(tx, identity, plan, job.id);
        await saveRows(tx, job, plan);
        return tx.studentImport.update({
          where: { id: job.id },
          data: { chunksDone: i + 1, processedRows: { increment: chunk.size }, ...counts(plan) },
        });
      });
    }
  };

  if (job.phase === 'check') {
    await pass(false);
    if (job.dryRun || job.rejected > 0) return finish(deps, identity, job.id, false);
    // Every row would go in: the check's report gives way to the writing pass's.
    job = await asCaller(async (tx) => {
      await tx.studentImportRow.deleteMany({ where: { importId: job.id } });
      return tx.studentImport.update({ where: { id: job.id }, data: { phase: 'write', chunksDone: 0, processedRows: 0, ...ZERO } });
    });
  }
  await pass(true);
  await finish(deps, identity, job.id, true);
}

async function finish(deps: BehaviorDeps, identity: Identity, importId: string, applied: boolean): Promise<void> {
  await asService(deps, (tx) =>
    tx.studentImport.update({ where: { id: importId }, data: { status: 'completed', applied, finishedAt: new Date(), fileGzip: null } }),
  );
  if (applied) await recordActivity(deps.mongo.db, deps.log, identity, 'students.imported', { type: 'student_import', id: importId });
}

/** At start: imports queued or running when a process stopped get their job again (a run resumes after the last committed chunk). */
export async function unfinishedImports(deps: BehaviorDeps): Promise<string[]> {
  const rows = await asService(deps, (tx) =>
    tx.studentImport.findMany({ where: { mode: 'job', status: { in: ['queued', 'running'] } }, select: { id: true } }),
  );
  return rows.map((r) => r.id);
}
