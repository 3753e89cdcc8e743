import { anyOf, hasPermission, NO_FACILITY, reachFilter, reachOf, type Identity } from '@pathway/kit';
import type { Prisma } from './generated/prisma/client.ts';

/**
 * Which campus rows a caller may see, as Prisma `where` fragments that data functions AND into
 * every query (RLS only separates tenants; facilities are separated here).
 */

/** A facility is in reach as a row whose facility is itself. */
export const facilityReach = (identity: Identity) => reachFilter(identity, 'id') as Prisma.FacilityWhereInput;

/**
 * Programs are tenant rows without a facility: a facility-bound caller sees the programs their
 * facility offers (the catalog of their own facility). Candidate for the kit (reach through a relation).
 */
export function programReach(identity: Identity): Prisma.ProgramWhereInput {
  switch (reachOf(identity)) {
    case 'system':
      return {};
    case 'tenant':
      return { tenantId: identity.tenantId };
    case 'facility':
      return { tenantId: identity.tenantId, facilities: { some: { facilityId: identity.facilityId ?? NO_FACILITY } } };
  }
}

/** Classes in reach, plus classes the caller is enrolled in (a transferred resident keeps their history). */
export function classVisibility(identity: Identity): Prisma.ProgramClassWhereInput {
  if (reachOf(identity) === 'system') return {};
  return { OR: [reachFilter(identity) as Prisma.ProgramClassWhereInput, { enrollments: { some: { userId: identity.userId } } }] };
}

/**
 * Rosters (enrollments, attendance) of other people: with `campus.enrollment.read`, within reach,
 * and either every class there (`campus.roster.read_all`, administrators) or only the classes the
 * caller teaches (staff: class_instructors). `toClass` is the path from the row to its class.
 */
function rosterVisibility<W>(
  identity: Identity,
  toClass: (classWhere: Prisma.ProgramClassWhereInput) => W,
): W | Record<string, never> | null {
  if (!hasPermission(identity, 'campus.enrollment.read')) return null;
  const inReach = reachFilter(identity) as W;
  if (hasPermission(identity, 'campus.roster.read_all')) return reachOf(identity) === 'system' ? {} : inReach;
  return { AND: [inReach, toClass({ instructors: { some: { userId: identity.userId } } })] } as W;
}

/** Mine, or others' too (see the kit's `anyOf` on empty branches). */
const either = <W extends object>(mine: W, others: W | Record<string, never> | null): W =>
  others == null ? mine : (anyOf<W>([mine, others as W]) as W);

/** Your own enrollments; others' as `rosterVisibility` allows. */
export function enrollmentVisibility(identity: Identity): Prisma.ClassEnrollmentWhereInput {
  const mine: Prisma.ClassEnrollmentWhereInput = { userId: identity.userId };
  const others = rosterVisibility<Prisma.ClassEnrollmentWhereInput>(identity, (programClass) => ({ programClass }));
  return either(mine, others);
}

/** Your own attendance; others' as `rosterVisibility` allows. */
export function attendanceVisibility(identity: Identity): Prisma.AttendanceWhereInput {
  const mine: Prisma.AttendanceWhereInput = { userId: identity.userId };
  const others = rosterVisibility<Prisma.AttendanceWhereInput>(identity, (programClass) => ({ enrollment: { programClass } }));
  return either(mine, others);
}
