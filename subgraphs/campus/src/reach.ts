import { hasPermission, reachFilter, reachOf, type Identity } from '@pathway/kit';
import type { Prisma } from './generated/prisma/client.ts';

/**
 * Which campus rows a caller may see, as Prisma `where` fragments that data functions AND into
 * every query (RLS only separates tenants; facilities are separated here).
 */

const NO_FACILITY = '00000000-0000-0000-0000-000000000000';

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

/** Your own enrollments; others' only with `campus.enrollment.read`, and only within reach. */
export function enrollmentVisibility(identity: Identity): Prisma.ClassEnrollmentWhereInput {
  const mine: Prisma.ClassEnrollmentWhereInput = { userId: identity.userId };
  if (!hasPermission(identity, 'campus.enrollment.read')) return mine;
  if (reachOf(identity) === 'system') return {};
  return { OR: [mine, reachFilter(identity) as Prisma.ClassEnrollmentWhereInput] };
}
