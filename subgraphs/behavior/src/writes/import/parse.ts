import { gunzipSync } from 'node:zlib';
import { badInput, notFound, uuidArg } from '@pathway/kit';
import { parse } from 'csv-parse/sync';

/**
 * Step one of seed 002's pipeline: CSV text → validated rows. Structural problems (not CSV, a
 * missing or unknown column, too big, no rows) refuse the whole file as BAD_USER_INPUT; a bad
 * value refuses its row only, with the reason and the column, for the report.
 */

/** The most a file may hold, after decompression: 20 MB; 10,000 rows in one call, 50,000 as a job. */
export const MAX_BYTES = 20 * 1024 * 1024;
export const INLINE_MAX_ROWS = 10_000;
export const JOB_MAX_ROWS = 50_000;

export const REQUIRED = ['student_id', 'first_name', 'last_name', 'grade_level'] as const;
const GUARDIAN_FIELDS = ['first_name', 'last_name', 'relationship', 'email', 'phone'] as const;
const OPTIONAL = [
  'birth_date',
  'family_name',
  'address',
  'home_phone',
  ...GUARDIAN_FIELDS.map((f) => `guardian_${f}`),
  ...GUARDIAN_FIELDS.map((f) => `guardian2_${f}`),
];
const KNOWN = new Set<string>([...REQUIRED, ...OPTIONAL]);
/** Other spellings schools' exports use. */
const ALIASES: Record<string, string> = {
  student_number: 'student_id',
  grade: 'grade_level',
  dob: 'birth_date',
  date_of_birth: 'birth_date',
};

export type RejectReason =
  'MISSING_VALUE' | 'TOO_LONG' | 'INVALID_DATE' | 'INVALID_EMAIL' | 'INVALID_PHONE' | 'DUPLICATE_IN_FILE' | 'OUT_OF_REACH';

export interface Rejection {
  line: number;
  studentNumber: string | null;
  reason: RejectReason;
  column: string;
  message: string;
}

export interface GuardianRow {
  firstName: string;
  lastName: string;
  relationship: string;
  email: string | null;
  phone: string | null;
}

export interface StudentRow {
  line: number;
  studentNumber: string;
  firstName: string;
  lastName: string;
  gradeLevel: string;
  birthDate: Date | null;
  familyName: string | null;
  address: string | null;
  homePhone: string | null;
  guardians: GuardianRow[];
  /** `info_<key>` columns (seed 002 additional_info); null when the file has none. */
  additionalInfo: Record<string, string> | null;
}

/**
 * The CSV text of the input: plain, gzip + base64 (10,000 rows fit the 1 MB request limit that
 * way), or a file staged by the gateway's multipart upload (`uploadId`, the caller's own).
 */
export async function csvText(
  input: { csv?: string | null; csvGzipBase64?: string | null; uploadId?: string | null },
  staged: (uploadId: string) => Promise<Buffer | null>,
): Promise<string> {
  if ([input.csv, input.csvGzipBase64, input.uploadId].filter((v) => v != null).length !== 1)
    throw badInput('Send exactly one of csv, csvGzipBase64 and uploadId.', { csv: 'exactly one of csv, csvGzipBase64, uploadId' });
  if (input.uploadId != null) {
    const file = await staged(uuidArg(input.uploadId, 'uploadId')!);
    if (!file) throw notFound(`An upload ${input.uploadId} of yours (uploads are kept for an hour)`);
    return file.toString('utf8');
  }
  if (input.csv != null) {
    if (Buffer.byteLength(input.csv) > MAX_BYTES) throw badInput('The file is larger than 20 MB.', { csv: 'larger than 20 MB' });
    return input.csv;
  }
  try {
    return gunzipSync(Buffer.from(input.csvGzipBase64!, 'base64'), { maxOutputLength: MAX_BYTES }).toString('utf8');
  } catch (error) {
    const tooBig = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger/.test(String(error));
    throw badInput(tooBig ? 'The file is larger than 20 MB once unpacked.' : 'csvGzipBase64 is not gzip data in base64.', {
      csvGzipBase64: tooBig ? 'larger than 20 MB unpacked' : 'not gzip + base64',
    });
  }
}

const header = (name: string) => {
  const key = name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return ALIASES[key] ?? key;
};

/** Parses the text and checks the header: every required column, nothing unknown (but `info_*`), no column twice. */
export function readCsv(
  text: string,
  maxRows = INLINE_MAX_ROWS,
): { columns: string[]; records: { line: number; values: Record<string, string> }[] } {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, csv-parse returns { record, info } per row (its types do not follow the option).
    rows = parse(text, { info: true, relax_column_count: false, skip_empty_lines: true, trim: true, bom: true }) as unknown as typeof rows;
  } catch (error) {
    throw badInput(`The file is not valid CSV: ${(error as Error).message}`, { csv: 'not valid CSV' });
  }
  if (rows.length === 0) throw badInput('The file is empty.', { csv: 'no header row' });
  const columns = rows[0]!.record.map(header);
  const problems: Record<string, string> = {};
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length) problems.columns = `missing ${missing.join(', ')}`;
  const unknown = columns.filter((c) => !KNOWN.has(c) && !/^info_[a-z0-9_]+$/.test(c));
  if (unknown.length) problems.unknownColumns = `unknown ${unknown.join(', ')} (known: ${[...KNOWN].join(', ')}, info_<key>)`;
  const twice = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (twice.length) problems.duplicateColumns = `twice: ${[...new Set(twice)].join(', ')}`;
  if (Object.keys(problems).length) throw badInput('The file has the wrong columns.', problems);
  if (rows.length === 1) throw badInput('The file has a header but no rows.', { csv: 'no rows' });
  if (rows.length - 1 > maxRows) {
    const asJob =
      maxRows < JOB_MAX_ROWS ? ` Import it as a job with startStudentImport (up to ${JOB_MAX_ROWS.toLocaleString('en')} rows).` : '';
    throw badInput(`The file has more than ${maxRows.toLocaleString('en')} rows.${asJob}`, { csv: `more than ${maxRows} rows` });
  }
  return {
    columns,
    records: rows
      .slice(1)
      .map(({ record, info }) => ({ line: info.lines, values: Object.fromEntries(columns.map((c, i) => [c, record[i] ?? ''])) })),
  };
}
