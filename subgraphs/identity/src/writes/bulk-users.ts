import { badInput, spreadsheetSafe } from '@pathway/kit';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { User } from '../generated/prisma/client.ts';
import type { ResolverContext } from '../context.ts';
import { createCheckedUsers, MAX_BULK_ROWS, type RowProblem } from './create.ts';

/**
 * bulkCreateUsers, as UnlockEdv2's bulk upload works: a list or CSV text is checked row by row
 * (every problem of every row), the valid rows are created when asked, and the refused rows come
 * back as a report and as CSV with a `reason` column to fix and upload again.
 */

/** The CSV columns, by their name once lowercased without spaces, dashes and underscores. */
const COLUMNS: Record<string, string> = {
  username: 'username',
  email: 'email',
  firstname: 'firstName',
  lastname: 'lastName',
  role: 'role',
  facilityid: 'facilityId',
  residentnumber: 'residentNumber',
  docid: 'residentNumber',
  temporarypassword: 'temporaryPassword',
  tenantid: 'tenantId',
};
const REQUIRED = ['username', 'email', 'firstName', 'lastName', 'role'];
/** A person's list is at most 500 rows; the CSV text of them fits well within this. */
const MAX_CSV_CHARS = 512 * 1024;
/** Never written back in the rejected rows' CSV. */
const SECRET_FIELDS = new Set(['temporaryPassword']);

interface SourceRow {
  values: Record<string, unknown>;
  /** CSV only: the line the row ends on, and its cells as sent (by header). */
  line: number | null;
  cells: Record<string, string> | null;
}

const normalize = (header: string) => header.toLowerCase().replace(/[\s_-]+/g, '');

function csvRows(text: string, temporaryPassword: string | null | undefined): { header: string[]; rows: SourceRow[] } {
  if (text.length > MAX_CSV_CHARS) throw badInput(`The CSV is longer than ${MAX_CSV_CHARS / 1024} KB.`, { csv: 'too long' });
  let records: { record: Record<string, string>; info: { lines: number } }[];
  let header: string[] = [];
  try {
    records = parse(text, {
      bom: true,
      columns: (names: string[]) => (header = names.map((n) => n.trim())),
      skip_empty_lines: true,
      trim: true,
      info: true,
      to: MAX_BULK_ROWS + 1,
    }) as unknown as { record: Record<string, string>; info: { lines: number } }[];
  } catch (error) {
    throw badInput(`The CSV could not be read: ${(error as Error).message}.`, { csv: 'not readable CSV' });
  }
  const fields = header.map((h) => COLUMNS[normalize(h)]);
  const unknown = header.filter((_, i) => !fields[i]);
  const missing = REQUIRED.filter((f) => !fields.includes(f));
  const repeated = header.filter((_, i) => fields[i] && fields.indexOf(fields[i]) !== i);
  const wrong = [
    ...(missing.length ? [`missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`] : []),
    ...(unknown.length ? [`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`] : []),
    ...(repeated.length ? [`column${repeated.length > 1 ? 's' : ''} given twice: ${repeated.join(', ')}`] : []),
  ];
  if (wrong.length)
    throw badInput(
      `The CSV's header is not right: ${wrong.join('; ')}. Columns: ${REQUIRED.join(', ')}, and optionally facilityId, residentNumber, temporaryPassword, tenantId.`,
      {
        csv: wrong.join('; '),
      },
    );
  if (!records.length) throw badInput('The CSV has a header but no rows.', { csv: 'no rows' });
  if (records.length > MAX_BULK_ROWS)
    throw badInput(`Send at most ${MAX_BULK_ROWS} people at a time.`, { csv: `more than ${MAX_BULK_ROWS} rows` });
  const rows = records.map(({ record, info }) => {
    const values: Record<string, unknown> = {};
    header.forEach((name, i) => {
      const value = record[name];
      // An empty optional cell is "not given", as a left-out field of the list input.
      if (value !== undefined && value !== '') values[fields[i]!] = value;
    });
    if (values.temporaryPassword === undefined && temporaryPassword) values.temporaryPassword = temporaryPassword;
    return { values, line: info.lines, cells: record };
  });
  return { header, rows };
}

export interface BulkCreateReport {
  created: User[];
  rowCount: number;
  validCount: number;
  rejectedCount: number;
  rejected: { row: number; line: number | null; username: string | null; problems: RowProblem[] }[];
  rejectedCsv: string | null;
}

export async function bulkCreateUsers(
  ctx: ResolverContext,
  args: { input?: unknown[] | null; csv?: string | null; createValid?: boolean | null; temporaryPassword?: string | null },
): Promise<BulkCreateReport> {
  if ((args.input == null) === (args.csv == null))
    throw badInput('Send exactly one of input and csv.', { input: 'exactly one of input, csv' });
  let header: string[];
  let rows: SourceRow[];
  if (args.csv != null) ({ header, rows } = csvRows(args.csv, args.temporaryPassword));
  else {
    const list = args.input!;
    if (list.length < 1 || list.length > MAX_BULK_ROWS)
      throw badInput(`Send between 1 and ${MAX_BULK_ROWS} people at a time.`, { input: `between 1 and ${MAX_BULK_ROWS} rows` });
    header = Object.values(COLUMNS).filter((f, i, all) => all.indexOf(f) === i);
    rows = list.map((values) => {
      const row = { ...(values as Record<string, unknown>) };
      if (row.temporaryPassword == null && args.temporaryPassword) row.temporaryPassword = args.temporaryPassword;
      return { values: row, line: null, cells: null };
    });
  }
  const { created, problems } = await createCheckedUsers(
    ctx,
    rows.map((r) => r.values),
    args.createValid === true,
  );
  const rejected = rows.flatMap((row, i) => {
    const found = problems[i] ?? [];
    const username = typeof row.values.username === 'string' ? row.values.username : null;
    return found.length ? [{ row: i + 1, line: row.line, username, problems: found }] : [];
  });
  return {
    created,
    rowCount: rows.length,
    validCount: rows.length - rejected.length,
    rejectedCount: rejected.length,
    rejected,
    rejectedCsv: rejected.length ? rejectedCsv(header, rows, rejected) : null,
  };
}

/** The refused rows as sent (passwords left out), each with the reasons. */
function rejectedCsv(header: string[], rows: SourceRow[], rejected: BulkCreateReport['rejected']): string {
  const columns = header.filter((h) => !SECRET_FIELDS.has(COLUMNS[normalize(h)] ?? h));
  const lines = rejected.map(({ row, problems }) => {
    const source = rows[row - 1]!;
    const cells = columns.map((name) => source.cells?.[name] ?? stringOf(source.values[name]));
    return [...cells, problems.map((p) => `${p.field}: ${p.message}`).join('; ')].map(spreadsheetSafe);
  });
  return stringify([[...columns, 'reason'], ...lines]);
}

const stringOf = (value: unknown) => (value == null ? '' : typeof value === 'string' ? value : JSON.stringify(value));
