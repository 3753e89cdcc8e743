import { createHash, randomUUID } from 'node:crypto';
import { forbidden, reachOf, uuidArg, type Identity, type References } from '@pathway/kit';
import { caseloadOf } from '../../access.ts';
import type { StudentImportInput } from '../../generated/graphql.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { namedFacility } from '../references.ts';
import { csvText, readCsv } from './parse.ts';
import { planImport, type Placement, type ReportRow } from './plan.ts';
import { validateRows } from './rows.ts';
import { applyPlan } from './write.ts';

type Tx = Prisma.TransactionClient;
/** The caller's files staged by the gateway's upload, by uploadId (null: none of theirs). */
export type StagedFiles = (uploadId: string) => Promise<Buffer | null>;

export interface ImportReport {
  importId: string;
  dryRun: boolean;
  applied: boolean;
  totalRows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  familiesCreated: number;
  guardiansCreated: number;
  guardiansUpdated: number;
  rows: ReportRow[];
}

/** Where new students go: the facility named (campus vouches for it, within reach), else the facility admin's own; with its time zone. */
export async function importFacility(refs: References, identity: Identity, facilityId: string | undefined): Promise<Placement> {
  const id = facilityId ?? (reachOf(identity) === 'facility' ? identity.facilityId : null);
  const facility = await namedFacility(refs, identity, id);
  return { facilityId: facility?.id ?? null, facilityTimezone: facility?.timezone ?? null };
}

/** Imports are administrators' work (the permission alone is not enough: staff may hold it for their caseload). */
export function assertImporter(identity: Identity): void {
  if (!['system', 'tenant', 'facility'].includes(caseloadOf(identity))) throw forbidden('Only administrators import student records.');
}

/**
 * Seed 002's CSV-to-records pipeline in one transaction: parse and check the file, validate rows,
 * normalize families, correlate with existing records, then write in bulk — unless it is a dry
 * run, or some rows were rejected and the caller did not ask for a partial import (then nothing is
 * written and the report says what would have happened).
 */
export async function importStudents(
  tx: Tx,
  identity: Identity,
  refs: References,
  input: StudentImportInput,
  uploads: StagedFiles,
): Promise<ImportReport> {
  assertImporter(identity);
  const placement = await importFacility(refs, identity, uuidArg(input.facilityId, 'facilityId'));
  const text = await csvText(input, uploads);
  const { columns, records } = readCsv(text);
  const { rows, rejected } = validateRows(columns, records);
  const plan = await planImport(tx, identity, placement, rows, rejected);
  const count = (status: ReportRow['status']) => plan.report.filter((r) => r.status === status).length;
  const importId = randomUUID();
  const dryRun = input.dryRun ?? false;
  const applied = !dryRun && (count('rejected') === 0 || (input.allowPartial ?? false));
  if (applied) {
    await applyPlan(tx, identity, plan, importId);
    await tx.studentImport.create({
      data: {
        id: importId,
        tenantId: identity.tenantId,
        actorId: identity.userId,
        fileSha256: createHash('sha256').update(text).digest('hex'),
        rowCount: records.length,
        created: count('created'),
        updated: count('updated'),
        unchanged: count('unchanged'),
        rejected: count('rejected'),
      },
    });
  }
  return {
    importId,
    dryRun,
    applied,
    totalRows: records.length,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    rejected: count('rejected'),
    familiesCreated: plan.newFamilies.length,
    guardiansCreated: plan.newGuardians.length,
    guardiansUpdated: plan.changedGuardians.length,
    rows: plan.report,
  };
}
