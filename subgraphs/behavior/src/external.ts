/**
 * Correlating an outside record to a student (seed 002 "Data Correlation → Confidence Scoring"):
 * plain rules, each with a fixed confidence, so a person can tell why a record was matched. At 0.9
 * and above the match is taken; below it a person confirms or rejects the proposed student.
 */
export const AUTO_MATCH = 0.9;

export interface Candidate {
  id: string;
  studentNumber: string;
  firstName: string;
  lastName: string;
  birthDate: string | null;
}
export interface Incoming {
  correlationId: string;
  studentNumber: string | null;
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
}
export interface Correlation {
  studentId: string | null;
  confidence: number;
  basis: 'student_number' | 'student_number_name_mismatch' | 'name_birth_date' | 'name' | 'name_ambiguous' | 'none';
}

const same = (a: string | null, b: string | null) => a != null && b != null && a.trim().toLowerCase() === b.trim().toLowerCase();

/** The best student for a record among `candidates`, never one a person rejected for it (`excluded`). */
export function correlate(record: Incoming, candidates: Candidate[], excluded: string | null): Correlation {
  const pool = candidates.filter((c) => c.id !== excluded);
  const numbers = [record.studentNumber, record.correlationId].filter((n): n is string => !!n);
  const byNumber = pool.find((c) => numbers.some((n) => same(c.studentNumber, n)));
  if (byNumber) {
    const agrees = !record.lastName || same(byNumber.lastName, record.lastName);
    return { studentId: byNumber.id, confidence: agrees ? 1 : 0.7, basis: agrees ? 'student_number' : 'student_number_name_mismatch' };
  }
  const byName = pool.filter((c) => same(c.firstName, record.firstName) && same(c.lastName, record.lastName));
  const withBirth = record.birthDate ? byName.filter((c) => c.birthDate === record.birthDate) : [];
  if (withBirth.length === 1) return { studentId: withBirth[0]!.id, confidence: 0.8, basis: 'name_birth_date' };
  if (byName.length === 1) return { studentId: byName[0]!.id, confidence: 0.5, basis: 'name' };
  if (byName.length > 1)
    return { studentId: [...byName].sort((a, b) => a.id.localeCompare(b.id))[0]!.id, confidence: 0.3, basis: 'name_ambiguous' };
  return { studentId: null, confidence: 0, basis: 'none' };
}

export const statusOf = (c: Correlation) => (!c.studentId ? 'unmatched' : c.confidence >= AUTO_MATCH ? 'matched' : 'pending_review');
