import { aggregateFilter, uuidsOnly, type Identity } from '@pathway/kit';
import * as access from '../access.ts';
import type { EnrollmentStatus, Prisma, ProgramClass } from '../generated/prisma/client.ts';
import { attendanceCounts, type AttendanceSummary } from './attendance.ts';

type Tx = Prisma.TransactionClient;

/**
 * Of `ids`, the classes whose roster the caller may read, whole rows: the two personal reports of
 * one request (roster and attendance of the same class) share one query through the request's
 * loader (`ctx.loaders.rosterClass`).
 */
export function rosterClassesByIds(tx: Tx, identity: Identity, ids: readonly string[]): Promise<ProgramClass[]> {
  return tx.programClass.findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, access.classRoster.where(identity)] } });
}

/** Rows of a class `rosterClass` returned, kept to its tenant and facility (the reach it was checked in). */
const ofClass = (c: ProgramClass) => ({ classId: c.id, tenantId: c.tenantId, facilityId: c.facilityId });

/** A class's enrollments, earliest enrolled first (ties by user id, so the order is stable). */
export function rosterOf(tx: Tx, programClass: ProgramClass, status: EnrollmentStatus | null | undefined) {
  return tx.classEnrollment.findMany({
    where: { ...ofClass(programClass), ...(status ? { status } : {}) },
    orderBy: [{ enrolledAt: 'asc' }, { userId: 'asc' }, { id: 'asc' }],
  });
}

/** Attendance counts per person of one class over [from, to). */
export function attendanceByPerson(tx: Tx, programClass: ProgramClass, from: Date, to: Date) {
  return tx.attendance.groupBy({
    by: ['userId', 'status'],
    where: { ...ofClass(programClass), date: { gte: from, lt: to } },
    _count: { _all: true },
    orderBy: [{ userId: 'asc' }],
  });
}

const INCOMPLETE = [
  'Incomplete_Withdrawn',
  'Incomplete_Dropped',
  'Incomplete_Failed_to_Complete',
  'Incomplete_Transfered',
  'Incomplete_Segregated',
] as const;
export type Ended = 'Completed' | (typeof INCOMPLETE)[number];
const ENDED: Ended[] = ['Completed', ...INCOMPLETE];

/** Ended enrollments (Completed / Incomplete_*) per program and status, within the aggregate scope. */
export async function outcomesByProgram(tx: Tx, identity: Identity) {
  const classes = await tx.programClass.findMany({
    where: aggregateFilter(identity),
    select: { id: true, programId: true, program: { select: { name: true } } },
  });
  const counts = await tx.classEnrollment.groupBy({
    by: ['classId', 'status'],
    where: { AND: [aggregateFilter(identity), { status: { in: ENDED } }] },
    _count: { _all: true },
  });
  const programOf = new Map(classes.map((c) => [c.id, c]));
  const perProgram = new Map<string, { programId: string; programName: string; counts: Map<Ended, number> }>();
  for (const c of classes)
    perProgram.set(c.programId, perProgram.get(c.programId) ?? { programId: c.programId, programName: c.program.name, counts: new Map() });
  for (const row of counts) {
    const c = programOf.get(row.classId);
    if (!c) continue;
    const entry = perProgram.get(c.programId)!;
    const status = row.status as Ended;
    entry.counts.set(status, (entry.counts.get(status) ?? 0) + row._count._all);
  }
  return [...perProgram.values()].sort((a, b) => a.programName.localeCompare(b.programName) || a.programId.localeCompare(b.programId));
}

/** Per facility in the aggregate scope: classes, enrollments per status and attendance over [from, to). */
export async function facilityFigures(tx: Tx, identity: Identity, from: Date, to: Date) {
  const scope = aggregateFilter(identity);
  const facilities = await tx.facility.findMany({
    where: aggregateFilter(identity, 'id'),
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
  const ids = facilities.map((f) => f.id);
  const [classes, enrollments, attendance] = await Promise.all([
    tx.programClass.groupBy({
      by: ['facilityId'],
      where: { AND: [scope, { facilityId: { in: ids } }] },
      _count: { _all: true },
    }),
    tx.classEnrollment.groupBy({
      by: ['facilityId', 'status'],
      where: { AND: [scope, { facilityId: { in: ids } }] },
      _count: { _all: true },
    }),
    attendanceCounts(tx, 'facilityId', ids, from, to, scope),
  ]);
  const classCount = new Map(classes.map((c) => [c.facilityId, c._count._all]));
  return facilities.map((f) => {
    const byStatus = new Map(enrollments.filter((e) => e.facilityId === f.id).map((e) => [e.status, e._count._all]));
    const incomplete = INCOMPLETE.reduce((n, s) => n + (byStatus.get(s) ?? 0), 0);
    const summary: AttendanceSummary = attendance.get(f.id) ?? { present: 0, absentExcused: 0, absentUnexcused: 0 };
    return {
      facilityId: f.id,
      facilityName: f.name,
      classes: classCount.get(f.id) ?? 0,
      activeEnrollments: byStatus.get('Enrolled') ?? 0,
      completed: byStatus.get('Completed') ?? 0,
      incomplete,
      attendance: summary,
    };
  });
}
