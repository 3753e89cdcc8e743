import { withinReach, type Identity } from '@pathway/kit';
import { caseloadOf } from './access.ts';
import type { BehaviorContext } from './context.ts';

/**
 * Per-row versions of the `where` builders in access.ts, for graphql-shield: the same decisions,
 * made on a row already loaded, through per-request loaders so a page of rows costs one query.
 */

/** The caller is a guardian (Guardian row with their user id) of the family. */
export async function isLinkedGuardian(ctx: BehaviorContext, identity: Identity, familyId: string | null): Promise<boolean> {
  if (!familyId) return false;
  return (await ctx.loaders.guardiansOfFamily.load(familyId)).some((g) => g.userId === identity.userId);
}

/** The student is in the caller's caseload: in reach for admins, in reach and assigned for staff. */
export async function studentInCaseload(
  ctx: BehaviorContext,
  identity: Identity,
  student: { id: string; tenantId: string; facilityId: string | null },
): Promise<boolean> {
  switch (caseloadOf(identity)) {
    case 'system':
      return true;
    case 'tenant':
    case 'facility':
      return withinReach(identity, student);
    case 'assigned':
      return withinReach(identity, student) && ctx.loaders.assignedToMe.load(student.id);
    case 'none':
      return false;
  }
}

/** The family is in the caller's caseload: tenant-wide callers see all the tenant's families; others those with a student in their caseload. */
export async function familyInCaseload(
  ctx: BehaviorContext,
  identity: Identity,
  family: { id: string; tenantId: string },
): Promise<boolean> {
  switch (caseloadOf(identity)) {
    case 'system':
      return true;
    case 'tenant':
      return withinReach(identity, family);
    case 'facility':
    case 'assigned':
      return family.tenantId === identity.tenantId && ctx.loaders.familyInCaseload.load(family.id);
    case 'none':
      return false;
  }
}
