import type { GuardianRow, Rejection, StudentRow } from './parse.ts';

/** Step two: each record → a student row, or its rejection (the first problem found, with the column). */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 ().-]{5,23}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

class RowProblem extends Error {
  constructor(
    readonly reason: Rejection['reason'],
    readonly column: string,
    message: string,
  ) {
    super(message);
  }
}

function text(values: Record<string, string>, column: string, max: number, required = false): string | null {
  const value = (values[column] ?? '').trim();
  if (!value) {
    if (required) throw new RowProblem('MISSING_VALUE', column, `${column} is empty`);
    return null;
  }
  if (value.length > max) throw new RowProblem('TOO_LONG', column, `${column} is longer than ${max} characters`);
  return value;
}

function birthDate(values: Record<string, string>): Date | null {
  const value = text(values, 'birth_date', 10);
  if (!value) return null;
  const m = DATE.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  const real = date && date.getUTCMonth() === Number(m![2]) - 1 && date.getUTCDate() === Number(m![3]);
  if (!real || date.getUTCFullYear() < 1900 || date > new Date())
    throw new RowProblem('INVALID_DATE', 'birth_date', `birth_date "${value}" is not a date YYYY-MM-DD between 1900 and today`);
  return date;
}

function guardian(values: Record<string, string>, prefix: 'guardian' | 'guardian2'): GuardianRow | null {
  const col = (f: string) => `${prefix}_${f}`;
  const any = ['first_name', 'last_name', 'relationship', 'email', 'phone'].some((f) => (values[col(f)] ?? '').trim());
  if (!any) return null;
  const email = text(values, col('email'), 254)?.toLowerCase() ?? null;
  if (email && !EMAIL.test(email))
    throw new RowProblem('INVALID_EMAIL', col('email'), `${col('email')} "${email}" is not an email address`);
  const phone = text(values, col('phone'), 24);
  if (phone && !PHONE.test(phone)) throw new RowProblem('INVALID_PHONE', col('phone'), `${col('phone')} "${phone}" is not a phone number`);
  return {
    firstName: text(values, col('first_name'), 100, true)!,
    lastName: text(values, col('last_name'), 100, true)!,
    relationship: text(values, col('relationship'), 60) ?? 'guardian',
    email,
    phone,
  };
}

function studentRow(line: number, values: Record<string, string>, infoColumns: string[]): StudentRow {
  const homePhone = text(values, 'home_phone', 24);
  if (homePhone && !PHONE.test(homePhone))
    throw new RowProblem('INVALID_PHONE', 'home_phone', `home_phone "${homePhone}" is not a phone number`);
  const info = infoColumns.length
    ? Object.fromEntries(infoColumns.map((c) => [c.slice(5), (values[c] ?? '').trim()]).filter(([, v]) => v))
    : null;
  return {
    line,
    studentNumber: text(values, 'student_id', 64, true)!,
    firstName: text(values, 'first_name', 100, true)!,
    lastName: text(values, 'last_name', 100, true)!,
    gradeLevel: text(values, 'grade_level', 20, true)!,
    birthDate: birthDate(values),
    familyName: text(values, 'family_name', 200),
    address: text(values, 'address', 500),
    homePhone,
    guardians: [guardian(values, 'guardian'), guardian(values, 'guardian2')].filter((g): g is GuardianRow => g !== null),
    additionalInfo: info,
  };
}

/** Validates every record; a student id on more than one line rejects all of those lines (which one is right?). */
export function validateRows(columns: string[], records: { line: number; values: Record<string, string> }[]) {
  const infoColumns = columns.filter((c) => c.startsWith('info_'));
  const rows: StudentRow[] = [];
  const rejected: Rejection[] = [];
  for (const { line, values } of records) {
    try {
      rows.push(studentRow(line, values, infoColumns));
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      rejected.push({
        line,
        studentNumber: (values.student_id ?? '').trim() || null,
        reason: error.reason,
        column: error.column,
        message: error.message,
      });
    }
  }
  const lines = new Map<string, number[]>();
  for (const row of rows) lines.set(row.studentNumber, [...(lines.get(row.studentNumber) ?? []), row.line]);
  const duplicated = new Set([...lines].filter(([, ls]) => ls.length > 1).map(([n]) => n));
  for (const row of rows.filter((r) => duplicated.has(r.studentNumber)))
    rejected.push({
      line: row.line,
      studentNumber: row.studentNumber,
      reason: 'DUPLICATE_IN_FILE',
      column: 'student_id',
      message: `student_id ${row.studentNumber} is on lines ${lines.get(row.studentNumber)!.join(', ')}`,
    });
  return { rows: rows.filter((r) => !duplicated.has(r.studentNumber)), rejected };
}
