import type {
  ImportRejectReason,
  ImportRowStatus,
  StudentImportPhase,
  StudentImportReportResolvers,
  StudentImportResolvers,
  StudentImportRowResolvers,
  StudentImportStatus,
} from '../generated/graphql.ts';
import { listImportRows } from '../data/imports.ts';

export const StudentImportReport: StudentImportReportResolvers = {
  rows: (report, { status }) => (status ? report.rows.filter((r) => r.status === status) : report.rows),
};

export const StudentImportRow: StudentImportRowResolvers = {
  status: (row) => row.status as ImportRowStatus,
  reason: (row) => (row.rejection?.reason as ImportRejectReason | undefined) ?? null,
  column: (row) => row.rejection?.column ?? null,
  message: (row) => row.rejection?.message ?? null,
};

export const StudentImport: StudentImportResolvers = {
  status: (i) => i.status as StudentImportStatus,
  phase: (i) => i.phase as StudentImportPhase | null,
  applied: (i) => (i.status === 'completed' ? i.applied : null),
  totalRows: (i) => i.rowCount,
  // A job without allowPartial checks the whole file first: that pass is the first half of its progress.
  progress(i) {
    if (i.status === 'completed') return 1;
    if (i.rowCount === 0 || !i.phase) return 0;
    const share = Math.min(1, i.processedRows / i.rowCount);
    if (i.dryRun || i.allowPartial) return share;
    return i.phase === 'check' ? share / 2 : 0.5 + share / 2;
  },
  startedBy: (i) => i.actorId,
  createdAt: (i) => i.at,
  rows: (i, args, ctx) =>
    i.mode === 'job'
      ? ctx.db.read((tx) => listImportRows(tx, i.id, args))
      : { edges: [], nodes: [], pageInfo: { hasNextPage: false, endCursor: null } },
};
