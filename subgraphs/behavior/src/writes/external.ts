import { badInput, ConflictReason, conflict, parseInput, type Identity } from '@pathway/kit';
import { z } from 'zod';
import { externalRecordAccess, externalReviewAccess, studentDetailAccess } from '../access.ts';
import { correlate, statusOf, type Candidate } from '../external.ts';
import type { ExternalRecord, Prisma } from '../generated/prisma/client.ts';
import { logChanges } from './changes.ts';
import { findManaged, optionalText, reason as requiredReason } from './records.ts';

type Tx = Prisma.TransactionClient;

const name = optionalText(100);
const ingestFields = z.object({
  dataSource: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_-]{1,39}$/, 'must be 2–40 lower-case letters, digits, - or _ (e.g. powerschool)'),
  records: z
    .array(
      z.object({
        correlationId: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
        studentNumber: name,
        firstName: name,
        lastName: name,
        birthDate: z
          .string()
          .nullish()
          .transform((v) => v ?? null),
        data: z
          .record(z.string(), z.unknown(), 'must be a JSON object')
          .refine((v) => JSON.stringify(v).length <= 16_384, 'must be at most 16 KB of JSON')
          .nullish()
          .transform((v) => (v ?? {}) as Prisma.InputJsonValue),
      }),
    )
    .min(1, 'must have at least one record')
    .max(1000, 'must have at most 1,000 records (send more in further calls)'),
});

export interface IngestResult {
  dataSource: string;
  received: number;
  created: number;
  updated: number;
  matched: number;
  pendingReview: number;
  unmatched: number;
  reviewed: number;
  records: ExternalRecord[];
}

/** Students of the caller's reach who could be the records' people: by number, or by last name. */
async function candidatesFor(tx: Tx, identity: Identity, numbers: string[], lastNames: string[]): Promise<Candidate[]> {
  const rows = await tx.student.findMany({
    where: {
      AND: [
        studentDetailAccess.where(identity),
        { archivedAt: null },
        { OR: [{ studentNumber: { in: numbers, mode: 'insensitive' } }, { lastName: { in: lastNames, mode: 'insensitive' } }] },
      ],
    },
    select: { id: true, studentNumber: true, firstName: true, lastName: true, birthDate: true },
  });
  return rows.map((r) => ({ ...r, birthDate: r.birthDate?.toISOString().slice(0, 10) ?? null }));
}

/**
 * ingestExternalRecords: one transaction for the call. Each record is correlated to a student of
 * the administrator's reach (external.ts); one seen before (same source and correlation id) gets its
 * new data, and keeps a person's decision: confirmed stays with its student, rejected never proposes
 * the rejected student again.
 */
export async function ingestExternalRecords(tx: Tx, identity: Identity, input: unknown): Promise<IngestResult> {
  const { dataSource, records } = parseInput(ingestFields, input, 'The external records');
  const seen = new Map<string, number>();
  const problems: Record<string, string> = {};
  records.forEach((r, i) => {
    if (seen.has(r.correlationId)) problems[`records.${i}.correlationId`] = `repeats record ${seen.get(r.correlationId)}'s correlation id`;
    else seen.set(r.correlationId, i);
    if (r.birthDate && !/^\d{4}-\d{2}-\d{2}$/.test(r.birthDate)) problems[`records.${i}.birthDate`] = 'must be YYYY-MM-DD';
  });
  if (Object.keys(problems).length) throw badInput('Some external records are not valid.', problems);

  const existing = await tx.externalRecord.findMany({
    where: { tenantId: identity.tenantId, dataSource, correlationId: { in: records.map((r) => r.correlationId) } },
  });
  const before = new Map(existing.map((e) => [e.correlationId, e]));
  const numbers = records.flatMap((r) => [r.correlationId, r.studentNumber ?? '']).filter(Boolean);
  const candidates = await candidatesFor(tx, identity, numbers, records.map((r) => r.lastName ?? '').filter(Boolean));
  const result: IngestResult = {
    dataSource,
    received: records.length,
    created: 0,
    updated: 0,
    matched: 0,
    pendingReview: 0,
    unmatched: 0,
    reviewed: 0,
    records: [],
  };
  const now = new Date();
  for (const record of records) {
    const prior = before.get(record.correlationId);
    const base = { dataPayload: record.data, syncedAt: now };
    let row: ExternalRecord;
    if (prior?.matchStatus === 'confirmed') {
      row = await tx.externalRecord.update({ where: { id: prior.id }, data: base });
      result.reviewed++;
    } else {
      const match = correlate(record, candidates, prior?.rejectedStudentId ?? null);
      const kept = prior?.matchStatus === 'rejected' && !match.studentId;
      const fields = kept
        ? base
        : { ...base, studentId: match.studentId, confidence: match.confidence, matchBasis: match.basis, matchStatus: statusOf(match) };
      row = prior
        ? await tx.externalRecord.update({ where: { id: prior.id }, data: fields })
        : await tx.externalRecord.create({
            data: {
              ...base,
              tenantId: identity.tenantId,
              facilityId: identity.facilityId ?? null,
              dataSource,
              correlationId: record.correlationId,
              studentId: match.studentId,
              confidence: match.confidence,
              matchBasis: match.basis,
              matchStatus: statusOf(match),
            },
          });
      if (kept) result.reviewed++;
    }
    result[prior ? 'updated' : 'created']++;
    if (row.matchStatus === 'matched') result.matched++;
    else if (row.matchStatus === 'pending_review') result.pendingReview++;
    else if (row.matchStatus === 'unmatched') result.unmatched++;
    result.records.push(row);
  }
  return result;
}

const findReviewable = (tx: Tx, identity: Identity, id: string) =>
  findManaged(
    'The external record',
    identity,
    externalReviewAccess,
    externalRecordAccess,
    (where) => tx.externalRecord.findFirst({ where }),
    id,
  );

/** A decision a person makes on a record; only proposals (pending_review, and for a rejection matched) take one. */
async function decide(tx: Tx, identity: Identity, id: string, allowed: string[], to: 'confirmed' | 'rejected') {
  await tx.$queryRaw`SELECT id FROM external_data WHERE id = ${id}::uuid FOR UPDATE`;
  const record = await findReviewable(tx, identity, id);
  if (!allowed.includes(record.matchStatus))
    throw conflict(`The record is ${record.matchStatus}; only ${allowed.join(' or ')} can be ${to}.`, {
      reason: ConflictReason.INVALID_TRANSITION,
      from: record.matchStatus,
      to,
      allowed,
    });
  return record;
}

/** Writes a person's decision on a record, with who, when and why, and its line in the student's change log. */
async function writeDecision(
  tx: Tx,
  identity: Identity,
  before: ExternalRecord,
  to: 'confirmed' | 'rejected',
  reviewReason: string | null,
  fields: Prisma.ExternalRecordUncheckedUpdateInput,
) {
  const updated = await tx.externalRecord.update({
    where: { id: before.id },
    data: { ...fields, matchStatus: to, reviewedById: identity.userId, reviewedAt: new Date(), reviewReason },
  });
  await logChanges(tx, [
    {
      actor: identity,
      tenantId: before.tenantId,
      action: `external.${to}`,
      entityType: 'external_record',
      entityId: before.id,
      studentId: before.studentId,
      reason: reviewReason,
      before: { matchStatus: before.matchStatus, confidence: before.confidence, matchBasis: before.matchBasis },
      after: { matchStatus: to, confidence: updated.confidence, dataSource: before.dataSource, correlationId: before.correlationId },
    },
  ]);
  return updated;
}

/** confirmExternalMatch: the proposed student is the record's person (confidence 1, basis confirmed); in the student's change log. */
export async function confirmExternalMatch(tx: Tx, identity: Identity, id: string, why: string | null | undefined) {
  const reviewReason = parseInput(z.object({ reason: optionalText(500) }), { reason: why }, 'The confirmation').reason;
  const before = await decide(tx, identity, id, ['pending_review'], 'confirmed');
  return writeDecision(tx, identity, before, 'confirmed', reviewReason, { confidence: 1, matchBasis: 'confirmed' });
}

/** rejectExternalMatch: the proposed student is not the record's person; the record has no student and will not be offered them again. */
export async function rejectExternalMatch(tx: Tx, identity: Identity, id: string, why: string) {
  const reviewReason = parseInput(z.object({ reason: requiredReason }), { reason: why }, 'The rejection').reason;
  const before = await decide(tx, identity, id, ['pending_review', 'matched'], 'rejected');
  return writeDecision(tx, identity, before, 'rejected', reviewReason, {
    studentId: null,
    rejectedStudentId: before.studentId,
    confidence: 0,
  });
}
