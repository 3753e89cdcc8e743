import { aggregateFilter, uuidsOnly, type Identity } from '@pathway/kit';
import { Prisma } from '../generated/prisma/client.ts';
import { OPEN_CLASS } from '../writes/facilities.ts';

type Tx = Prisma.TransactionClient;

export interface ProgramCounts {
  classes: number;
  activeClasses: number;
  enrolled: number;
  completed: number;
  incomplete: number;
  present: number;
  absentExcused: number;
  absentUnexcused: number;
}
export const NO_COUNTS: ProgramCounts = {
  classes: 0,
  activeClasses: 0,
  enrolled: 0,
  completed: 0,
  incomplete: 0,
  present: 0,
  absentExcused: 0,
  absentUnexcused: 0,
};

/** The aggregate scope (kit `aggregateFilter`) as SQL on a class row `c`. */
function scopeSql(identity: Identity): Prisma.Sql {
  const scope = aggregateFilter(identity) as { tenantId?: string; facilityId?: string };
  const parts = [
    scope.tenantId ? Prisma.sql`c.tenant_id = ${scope.tenantId}::uuid` : null,
    scope.facilityId ? Prisma.sql`c.facility_id = ${scope.facilityId}::uuid` : null,
  ].filter((p): p is Prisma.Sql => p != null);
  return parts.length ? Prisma.join(parts, ' AND ') : Prisma.sql`TRUE`;
}

/**
 * Per program: classes, enrollments by outcome and attendance, counted over its classes in the
 * caller's aggregate scope, in one statement for a whole batch of programs.
 */
export async function programCounts(tx: Tx, identity: Identity, programIds: readonly string[]): Promise<Map<string, ProgramCounts>> {
  const ids = uuidsOnly(programIds);
  const open = Prisma.join(OPEN_CLASS.map((s) => Prisma.sql`${s}::class_status`));
  const rows = await tx.$queryRaw<({ program_id: string } & Record<string, bigint>)[]>`
    SELECT c.program_id,
      count(*) AS classes,
      count(*) FILTER (WHERE c.status IN (${open})) AS active_classes,
      coalesce(sum(e.enrolled), 0) AS enrolled, coalesce(sum(e.completed), 0) AS completed, coalesce(sum(e.incomplete), 0) AS incomplete,
      coalesce(sum(a.present), 0) AS present, coalesce(sum(a.excused), 0) AS excused, coalesce(sum(a.unexcused), 0) AS unexcused
    FROM program_classes c
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE enrollment_status = 'Enrolled') AS enrolled,
             count(*) FILTER (WHERE enrollment_status = 'Completed') AS completed,
             count(*) FILTER (WHERE enrollment_status::text LIKE 'Incomplete:%') AS incomplete
      FROM program_class_enrollments WHERE class_id = c.id) e ON TRUE
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE attendance_status = 'present') AS present,
             count(*) FILTER (WHERE attendance_status = 'absent_excused') AS excused,
             count(*) FILTER (WHERE attendance_status = 'absent_unexcused') AS unexcused
      FROM program_class_event_attendance WHERE class_id = c.id) a ON TRUE
    WHERE c.program_id = ANY(${ids}::uuid[]) AND ${scopeSql(identity)}
    GROUP BY c.program_id`;
  return new Map(
    rows.map((r) => [
      r.program_id,
      {
        classes: Number(r.classes),
        activeClasses: Number(r.active_classes),
        enrolled: Number(r.enrolled),
        completed: Number(r.completed),
        incomplete: Number(r.incomplete),
        present: Number(r.present),
        absentExcused: Number(r.excused),
        absentUnexcused: Number(r.unexcused),
      },
    ]),
  );
}
