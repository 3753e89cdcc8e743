import type { ImportRejectReason, ImportRowStatus, StudentImportReportResolvers, StudentImportRowResolvers } from '../generated/graphql.ts';

export const StudentImportReport: StudentImportReportResolvers = {
  rows: (report, { status }) => (status ? report.rows.filter((r) => r.status === status) : report.rows),
};

export const StudentImportRow: StudentImportRowResolvers = {
  status: (row) => row.status as ImportRowStatus,
  reason: (row) => (row.rejection?.reason as ImportRejectReason | undefined) ?? null,
  column: (row) => row.rejection?.column ?? null,
  message: (row) => row.rejection?.message ?? null,
};
