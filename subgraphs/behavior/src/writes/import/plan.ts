import { randomUUID } from 'node:crypto';
import type { Identity } from '@pathway/kit';
import type { Family, Guardian, Prisma, Student } from '../../generated/prisma/client.ts';
import { familyManageAccess, studentManageAccess } from '../../access.ts';
import { distinctGuardians, groupFamilies, guardianKey, newFamilyFields } from './families.ts';
import type { Rejection, StudentRow } from './parse.ts';

type Tx = Prisma.TransactionClient;

/**
 * Steps four and five: correlate the rows with the tenant's records (students by student id,
 * families through their students or a guardian's email, guardians by email, phone or name) and
 * decide every write, without writing. The same file imported twice plans nothing the second time.
 */

export type RowStatus = 'created' | 'updated' | 'unchanged' | 'rejected';
export interface ReportRow {
  line: number;
  studentNumber: string | null;
  status: RowStatus;
  studentId: string | null;
  familyId: string | null;
  rejection?: Rejection;
}

/** Where the import places new students: a facility and its time zone as campus gave them (or none). */
export interface Placement {
  facilityId: string | null;
  facilityTimezone: string | null;
}

export interface ImportPlan {
  tenantId: string;
  newFamilies: Prisma.FamilyCreateManyInput[];
  newStudents: (Prisma.StudentCreateManyInput & { id: string })[];
  changedStudents: { before: Student; after: Student }[];
  newGuardians: (Prisma.GuardianCreateManyInput & { id: string })[];
  changedGuardians: { before: Guardian; after: Guardian }[];
  report: ReportRow[];
}

const CHUNK = 5000;
async function inChunks<T, R>(items: T[], read: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await read(items.slice(i, i + CHUNK))));
  return out;
}

/** Student numbers of the tenant that exist, also those the caller cannot see (the unique index would refuse them). */
async function numbersTaken(tx: Tx, tenantId: string, numbers: string[]): Promise<Set<string>> {
  const rows = await inChunks(
    numbers,
    (chunk) => tx.$queryRaw<{ n: string }[]>`SELECT n FROM behavior.student_numbers_taken(${tenantId}::uuid, ${chunk}::text[]) AS n`,
  );
  return new Set(rows.map((r) => r.n));
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});

function studentAfter(before: Student, row: StudentRow, familyId: string | null): Student {
  return {
    ...before,
    firstName: row.firstName,
    lastName: row.lastName,
    gradeLevel: row.gradeLevel,
    birthDate: row.birthDate ?? before.birthDate,
    additionalInfo: row.additionalInfo ?? before.additionalInfo,
    familyId: familyId ?? before.familyId,
  };
}
const studentChanged = (a: Student, b: Student) =>
  a.firstName !== b.firstName ||
  a.lastName !== b.lastName ||
  a.gradeLevel !== b.gradeLevel ||
  a.birthDate?.getTime() !== b.birthDate?.getTime() ||
  a.familyId !== b.familyId ||
  !sameJson(a.additionalInfo, b.additionalInfo);

export async function planImport(
  tx: Tx,
  identity: Identity,
  placement: Placement,
  rows: StudentRow[],
  rejected: Rejection[],
): Promise<ImportPlan> {
  const tenantId = identity.tenantId;
  const plan: ImportPlan = {
    tenantId,
    newFamilies: [],
    newStudents: [],
    changedStudents: [],
    newGuardians: [],
    changedGuardians: [],
    report: [],
  };
  const numbers = rows.map((r) => r.studentNumber);
  const taken = await numbersTaken(tx, tenantId, numbers);
  const mine = await inChunks(numbers, (chunk) =>
    tx.student.findMany({ where: { AND: [{ tenantId, studentNumber: { in: chunk } }, studentManageAccess.where(identity)] } }),
  );
  const existing = new Map(mine.map((s) => [s.studentNumber, s]));
  const reject = (row: StudentRow): Rejection => ({
    line: row.line,
    studentNumber: row.studentNumber,
    reason: 'OUT_OF_REACH',
    column: 'student_id',
    message: `student_id ${row.studentNumber} belongs to a student record you may not change`,
  });
  const outOfReach = rows.filter((r) => taken.has(r.studentNumber) && !existing.has(r.studentNumber)).map(reject);
  const usable = rows.filter((r) => !taken.has(r.studentNumber) || existing.has(r.studentNumber));

  // Families already known: those of the students found, and those of guardians with an email in the file.
  const emails = [...new Set(usable.flatMap((r) => r.guardians.map((g) => g.email)).filter((e): e is string => !!e))];
  const familyIds = [...new Set(mine.map((s) => s.familyId).filter((id): id is string => !!id))];
  const families = await tx.family.findMany({
    where: {
      AND: [
        { tenantId },
        familyManageAccess.where(identity),
        { OR: [{ id: { in: familyIds } }, { guardians: { some: { email: { in: emails }, archivedAt: null } } }] },
      ],
    },
    include: { guardians: { where: { archivedAt: null } } },
  });
  const familyById = new Map<string, Family & { guardians: Guardian[] }>(families.map((f) => [f.id, f]));
  const familyByEmail = new Map(families.flatMap((f) => f.guardians.filter((g) => g.email).map((g) => [g.email!, f.id] as const)));

  for (const group of groupFamilies(usable)) {
    const known =
      group.map((r) => existing.get(r.studentNumber)?.familyId).find((id) => id && familyById.has(id)) ??
      group.flatMap((r) => r.guardians.map((g) => (g.email ? familyByEmail.get(g.email) : undefined))).find((id) => id);
    let familyId = known ?? null;
    const hasContact = group.length > 1 || group[0]!.guardians.length > 0 || !!group[0]!.address;
    if (!familyId && hasContact) {
      familyId = randomUUID();
      plan.newFamilies.push({ id: familyId, tenantId, facilityId: placement.facilityId, ...newFamilyFields(group) });
    }
    // Guardians: one per person of the group, matched to the family's current guardians.
    const current = new Map((familyId ? (familyById.get(familyId)?.guardians ?? []) : []).map((g) => [guardianKey(g), g]));
    if (familyId)
      for (const g of distinctGuardians(group)) {
        const found = current.get(guardianKey(g));
        if (!found) {
          plan.newGuardians.push({
            id: randomUUID(),
            tenantId,
            familyId,
            ...g,
            notificationPreferences: { email: !!g.email, sms: false, app: false },
          });
          continue;
        }
        const after = { ...found, relationship: g.relationship, email: g.email ?? found.email, phone: g.phone ?? found.phone };
        if (after.relationship !== found.relationship || after.email !== found.email || after.phone !== found.phone)
          plan.changedGuardians.push({ before: found, after });
      }
    for (const row of group) {
      const before = existing.get(row.studentNumber);
      if (!before) {
        const id = randomUUID();
        plan.newStudents.push({
          id,
          tenantId,
          ...placement,
          familyId,
          studentNumber: row.studentNumber,
          firstName: row.firstName,
          lastName: row.lastName,
          gradeLevel: row.gradeLevel,
          birthDate: row.birthDate,
          additionalInfo: row.additionalInfo ?? {},
        });
        plan.report.push({ line: row.line, studentNumber: row.studentNumber, status: 'created', studentId: id, familyId });
        continue;
      }
      const after = studentAfter(before, row, familyId);
      const changed = studentChanged(before, after);
      if (changed) plan.changedStudents.push({ before, after });
      plan.report.push({
        line: row.line,
        studentNumber: row.studentNumber,
        status: changed ? 'updated' : 'unchanged',
        studentId: before.id,
        familyId: after.familyId,
      });
    }
  }
  for (const rejection of [...rejected, ...outOfReach])
    plan.report.push({
      line: rejection.line,
      studentNumber: rejection.studentNumber,
      status: 'rejected',
      studentId: null,
      familyId: null,
      rejection,
    });
  plan.report.sort((a, b) => a.line - b.line);
  return plan;
}
