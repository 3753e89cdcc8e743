import { requireFacility, requirePeople, type FacilityRef, type Identity, type References } from '@pathway/kit';

/**
 * The people and facilities behavior writes name belong to identity and campus, which vouch for
 * them (kit references.ts): each id must exist in the caller's tenant (NOT_FOUND), within their
 * reach (FORBIDDEN) and be of the right kind (BAD_USER_INPUT).
 */

/** A named facility as campus vouches for it (null when none was named: the caller's default applies). */
export async function namedFacility(
  refs: References,
  identity: Identity,
  facilityId: string | null | undefined,
): Promise<FacilityRef | null> {
  return facilityId ? requireFacility(refs, identity, facilityId) : null;
}

/** The person who signs in as a student: an active resident within the caller's reach. */
export const studentPerson = (refs: References, identity: Identity, userId: string) =>
  requirePeople(refs, identity, [userId], { field: 'userId', roles: ['resident'] });

/** The person who signs in as a guardian: an active guardian of the caller's tenant (guardians live outside facilities). */
export const guardianPerson = (refs: References, identity: Identity, userId: string) =>
  requirePeople(refs, identity, [userId], { field: 'userId', roles: ['guardian'], within: 'tenant' });

/** A caseload's staff member: active staff (or a facility admin) within reach, of the student's facility when it has one. */
export const caseloadStaff = (refs: References, identity: Identity, staffId: string, facilityId: string | null) =>
  requirePeople(refs, identity, [staffId], { field: 'staffId', roles: ['staff', 'facility_admin'], ...(facilityId ? { facilityId } : {}) });
