import { anyOf, defineAccess, hasPermission, NO_FACILITY, reachFilter, reachOf, tenantFilter, type Identity } from '@pathway/kit';
import type { Prisma } from './generated/prisma/client.ts';

/**
 * Who may see which campus rows, once per entity (RLS only separates tenants; facilities and
 * rosters are separated here). Lists and loaders AND `where(identity)` into their queries; the
 * shield row rules (`visibleRow` in permissions.ts) decide a loaded row from the same filter.
 */

/** Matches no row (Prisma has no literal `false`). */
const NONE = { id: { in: [] as string[] } };

/** "The caller teaches this class" and "the caller is enrolled in this class", as a class filter. */
const taughtBy = (identity: Identity) => ({ instructors: { some: { userId: identity.userId } } });
const enrolledIn = (identity: Identity) => ({ enrollments: { some: { userId: identity.userId } } });

/**
 * Classes in reach (with `campus.class.read`), plus classes the caller is enrolled in (a transferred
 * resident keeps their history). `viaClass` turns a class filter into one on the row's class; reach
 * is decided on the row's own tenant and facility columns.
 */
function classWhere<W extends object>(identity: Identity, viaClass: (classWhere: ReturnType<typeof enrolledIn>) => W) {
  const inReach = hasPermission(identity, 'campus.class.read') ? reachFilter(identity) : NONE;
  return anyOf([inReach, viaClass(enrolledIn(identity))]);
}

/**
 * Rosters (other people's enrollments, attendance, change log): with `campus.enrollment.read`, within
 * reach, and either every class there (`campus.roster.read_all`, administrators) or only the classes
 * the caller teaches (staff: class_instructors). `viaClass` as in `classWhere`.
 */
function rosterWhere<W extends object>(identity: Identity, viaClass: (classWhere: ReturnType<typeof taughtBy>) => W) {
  if (!hasPermission(identity, 'campus.enrollment.read')) return NONE;
  if (hasPermission(identity, 'campus.roster.read_all')) return reachFilter(identity);
  return { AND: [reachFilter(identity), viaClass(taughtBy(identity))] };
}

/** A facility is in reach as a row whose facility is itself. */
export const facility = defineAccess('facility', (identity): Prisma.FacilityWhereInput => reachFilter(identity, 'id'));

/**
 * Programs are tenant rows without a facility: a facility-bound caller sees the programs their
 * facility offers (the catalog of their own facility).
 */
export const program = defineAccess('program', (identity): Prisma.ProgramWhereInput => {
  if (reachOf(identity) !== 'facility') return tenantFilter(identity);
  return { tenantId: identity.tenantId, facilities: { some: { facilityId: identity.facilityId ?? NO_FACILITY } } };
});

/** Classes: see `classWhere` (the catalog permission is part of who may see a class in reach). */
export const programClass = defineAccess('programClass', (identity): Prisma.ProgramClassWhereInput => classWhere(identity, (c) => c));

/** A class event is visible with its class. */
export const classEvent = defineAccess('classEvent', (identity): Prisma.ClassEventWhereInput =>
  classWhere(identity, (programClass) => ({ programClass })),
);

/**
 * Classes whose roster the caller may read (the class's change log, missing attendance and
 * reports). A change log line is visible with its class's roster: `class_changes` has no relation
 * to its class, so its rule and its loader apply this filter to the line's class (`classOfChange`).
 */
export const classRoster = defineAccess('classRoster', (identity): Prisma.ProgramClassWhereInput => rosterWhere(identity, (c) => c));

/** Your own enrollments; others' as `rosterWhere` allows. */
export const classEnrollment = defineAccess('classEnrollment', (identity): Prisma.ClassEnrollmentWhereInput =>
  anyOf<Prisma.ClassEnrollmentWhereInput>([{ userId: identity.userId }, rosterWhere(identity, (programClass) => ({ programClass }))]),
);

/** Your own attendance; others' as `rosterWhere` allows. */
export const attendance = defineAccess('attendance', (identity): Prisma.AttendanceWhereInput =>
  anyOf<Prisma.AttendanceWhereInput>([
    { userId: identity.userId },
    rosterWhere(identity, (programClass) => ({ enrollment: { programClass } })),
  ]),
);

/** The class a change log line belongs to, as a row `classRoster` can decide on. */
export const classOfChange = (change: { classId: string; tenantId: string; facilityId: string }) => ({
  id: change.classId,
  tenantId: change.tenantId,
  facilityId: change.facilityId,
});

/** Rooms and facility closures: rows of a facility, in reach (the shield adds the permission key). */
export const room = defineAccess('room', (identity): Prisma.RoomWhereInput => reachFilter(identity));
export const facilityClosure = defineAccess('facilityClosure', (identity): Prisma.FacilityClosureWhereInput => reachFilter(identity));

/** Your own waitlist places; others' with the class's roster (as enrollments). */
export const waitlistEntry = defineAccess('waitlistEntry', (identity): Prisma.WaitlistEntryWhereInput =>
  anyOf<Prisma.WaitlistEntryWhereInput>([{ userId: identity.userId }, rosterWhere(identity, (programClass) => ({ programClass }))]),
);
