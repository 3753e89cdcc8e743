import { anyOf, hasPermission, reachFilter, reachOf, tenantFilter, type Identity } from '@pathway/kit';
import type { Prisma } from './generated/prisma/client.ts';

/** The permission keys this subgraph checks (rows of identity's RBAC catalog). */
export const Perm = {
  studentRead: 'behavior.student.read',
  familyRead: 'behavior.family.read',
  aggregateRead: 'behavior.aggregate.read',
} as const;

/**
 * How far a caller's permission-based access to student records goes (DOMAIN.md roles table):
 * admins by reach; staff only students assigned to them (seed 002 "teachers access class
 * students"); everyone else (resident, guardian, partner, analyst, integrator) only through a
 * relationship (self, linked guardian), whatever permissions their role carries: a guardian's
 * `behavior.student.read` must not open their whole facility.
 */
export type Caseload = 'system' | 'tenant' | 'facility' | 'assigned' | 'none';

export function caseloadOf(identity: Identity): Caseload {
  const reach = reachOf(identity);
  if (reach !== 'facility') return reach;
  if (identity.roles.includes('facility_admin')) return 'facility';
  if (identity.roles.includes('staff')) return 'assigned';
  return 'none';
}

/** Matches no row (Prisma has no literal `false`). */
const NOTHING = { id: { in: [] as string[] } };

/**
 * OR of `branches`. Prisma silently drops an empty `{}` inside OR instead of treating it as "every
 * row", so an unrestricted branch (a system admin's caseload) must short-circuit here.
 */
/** Students inside the caller's caseload (the permission-based branch only). */
export function studentCaseloadWhere(identity: Identity): Prisma.StudentWhereInput {
  const caseload = caseloadOf(identity);
  if (caseload === 'none') return NOTHING;
  const reach = reachFilter(identity) as Prisma.StudentWhereInput;
  if (caseload === 'assigned') return { AND: [reach, { assignments: { some: { teacherId: identity.userId } } }] };
  return reach;
}

/** Every student the caller may see: themself, their linked children, their caseload. */
export function visibleStudentsWhere(identity: Identity | null): Prisma.StudentWhereInput {
  if (!identity) return NOTHING;
  const branches: Prisma.StudentWhereInput[] = [{ userId: identity.userId }];
  if (hasPermission(identity, Perm.studentRead)) {
    branches.push({ family: { guardians: { some: { userId: identity.userId } } } }, studentCaseloadWhere(identity));
  }
  return { AND: [tenantFilter(identity), anyOf(branches)] };
}

/** Families with a student in the caller's caseload (tenant-wide callers: every family of the tenant). */
function familyCaseloadWhere(identity: Identity): Prisma.FamilyWhereInput {
  const caseload = caseloadOf(identity);
  if (caseload === 'none') return NOTHING;
  if (caseload === 'system' || caseload === 'tenant') return reachFilter(identity) as Prisma.FamilyWhereInput;
  return { students: { some: studentCaseloadWhere(identity) } };
}

/** Every family the caller may see: their own as a guardian, or one in their caseload. */
export function visibleFamiliesWhere(identity: Identity | null): Prisma.FamilyWhereInput {
  if (!identity) return NOTHING;
  const branches: Prisma.FamilyWhereInput[] = [{ guardians: { some: { userId: identity.userId } } }];
  if (hasPermission(identity, Perm.familyRead)) branches.push(familyCaseloadWhere(identity));
  return { AND: [tenantFilter(identity), anyOf(branches)] };
}
