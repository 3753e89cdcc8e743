import { anyOf, defineAccess, hasPermission, reachFilter, reachOf, tenantFilter, type Identity, type PermissionKey } from '@pathway/kit';
import type { Prisma } from './generated/prisma/client.ts';

/**
 * Who may see students, families and guardians, said once per entity: lists and loaders AND
 * `access.where(identity)` into their queries, and the shield rules (permissions.ts) decide on a
 * loaded row from the same filter (`visibleRow`).
 */

/** The permission keys this subgraph checks (rows of identity's RBAC catalog). */
export const Perm = {
  studentRead: 'behavior.student.read',
  familyRead: 'behavior.family.read',
  aggregateRead: 'behavior.aggregate.read',
} as const satisfies Record<string, PermissionKey>;

/**
 * How far a caller's permission-based access to student records goes (DOMAIN.md roles table):
 * admins by reach; staff only students assigned to them (seed 002 "teachers access class
 * students"); everyone else (resident, guardian, partner, analyst, integrator) only through a
 * relationship (self, linked guardian), whatever permissions their role carries: a guardian's
 * `behavior.student.read` must not open their whole facility.
 */
type Caseload = 'system' | 'tenant' | 'facility' | 'assigned' | 'none';

function caseloadOf(identity: Identity): Caseload {
  const reach = reachOf(identity);
  if (reach !== 'facility') return reach;
  if (identity.roles.includes('facility_admin')) return 'facility';
  if (identity.roles.includes('staff')) return 'assigned';
  return 'none';
}

/** Matches no row (Prisma has no literal `false`); decided on a loaded row too, since every row has an id. */
const NOTHING = { id: { in: [] as string[] } };

/** Tenant-wide caseloads (system, tenant) see every family and guardian of their reach, which the row's tenant decides. */
const isTenantWide = (caseload: Caseload) => caseload === 'system' || caseload === 'tenant';

/** Students inside the caller's caseload: in reach for admins, in reach and assigned to them for staff. */
function studentCaseload(identity: Identity): Prisma.StudentWhereInput {
  const caseload = caseloadOf(identity);
  if (caseload === 'none') return NOTHING;
  const reach = reachFilter(identity);
  if (caseload === 'assigned') return { AND: [reach, { assignments: { some: { teacherId: identity.userId } } }] };
  return reach;
}

/** Families in the caller's caseload: tenant-wide callers every family in reach; the rest, families with a student in their caseload. */
function familyCaseload(identity: Identity): Prisma.FamilyWhereInput {
  const caseload = caseloadOf(identity);
  if (caseload === 'none') return NOTHING;
  return isTenantWide(caseload) ? tenantFilter(identity) : { students: { some: studentCaseload(identity) } };
}

/** Guardians of the families in the caller's caseload (tenant-wide callers: by the guardian's own tenant). */
function guardianCaseload(identity: Identity): Prisma.GuardianWhereInput {
  const caseload = caseloadOf(identity);
  if (caseload === 'none') return NOTHING;
  return isTenantWide(caseload) ? tenantFilter(identity) : { family: familyCaseload(identity) };
}

/** The caller is a guardian of the family (a Guardian row with their user id). */
const guardedBy = (identity: Identity) => ({ guardians: { some: { userId: identity.userId } } });

/** Students: the student themself; with behavior.student.read, their linked guardians and callers whose caseload holds them. */
export const studentAccess = defineAccess<Prisma.StudentWhereInput>('student', (identity) => {
  const branches: Prisma.StudentWhereInput[] = [{ userId: identity.userId }];
  if (hasPermission(identity, Perm.studentRead)) branches.push({ family: guardedBy(identity) }, studentCaseload(identity));
  return { AND: [tenantFilter(identity), anyOf(branches)] };
});

/** Families: their guardians; with behavior.family.read, callers whose caseload holds the family. */
export const familyAccess = defineAccess<Prisma.FamilyWhereInput>('family', (identity) => {
  const branches: Prisma.FamilyWhereInput[] = [guardedBy(identity)];
  if (hasPermission(identity, Perm.familyRead)) branches.push(familyCaseload(identity));
  return { AND: [tenantFilter(identity), anyOf(branches)] };
});

/** Who may read a guardian's contact fields (email, phone, notification preferences): the guardian, and family readers in their caseload. */
function contactBranches(identity: Identity): Prisma.GuardianWhereInput[] {
  const branches: Prisma.GuardianWhereInput[] = [{ userId: identity.userId }];
  if (hasPermission(identity, Perm.familyRead)) branches.push(guardianCaseload(identity));
  return branches;
}

/** Guardians (names, relationship): whoever may read their contact fields, and the family's other guardians. */
export const guardianAccess = defineAccess<Prisma.GuardianWhereInput>('guardian', (identity) => ({
  AND: [tenantFilter(identity), anyOf([...contactBranches(identity), { family: guardedBy(identity) }])],
}));

/** A guardian's contact fields, which co-guardians do not see. */
export const guardianContactAccess = defineAccess<Prisma.GuardianWhereInput>('guardianContact', (identity) => ({
  AND: [tenantFilter(identity), anyOf(contactBranches(identity))],
}));
