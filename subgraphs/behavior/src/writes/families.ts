import { conflict, notFound, parseInput, reachOf, uuidArg, type Identity } from '@pathway/kit';
import { z } from 'zod';
import { familyAccess, familyManageAccess } from '../access.ts';
import type { CreateFamilyInput, UpdateFamilyInput } from '../generated/graphql.ts';
import type { Family, Prisma } from '../generated/prisma/client.ts';
import { diff, familySnapshot, logChanges } from './changes.ts';
import { findManaged, optionalText, phone, reason, requiredText, sent } from './records.ts';

type Tx = Prisma.TransactionClient;

const familyFields = z.object({
  familyName: requiredText(200),
  primaryContact: optionalText(200),
  address: optionalText(500),
  phone,
});

/** A family the caller may change (behavior.student.manage in their caseload), else FORBIDDEN / NOT_FOUND. */
export const findManagedFamily = (tx: Tx, identity: Identity, id: string) =>
  findManaged('The family', identity, familyManageAccess, familyAccess, (where) => tx.family.findFirst({ where }), id);

/**
 * Where a new family is kept. Facility admins: their own facility (naming another is NOT_FOUND, as
 * out of reach). Department and system admins: the facility they name, or none (tenant-wide); the
 * facility is campus's, so its id is taken on their word, like campus takes user ids.
 */
function familyFacility(identity: Identity, facilityId: string | undefined): string | null {
  if (reachOf(identity) !== 'facility') return facilityId ?? null;
  if (facilityId && facilityId !== identity.facilityId) throw notFound('The facility');
  return identity.facilityId;
}

export async function createFamily(tx: Tx, identity: Identity, input: CreateFamilyInput): Promise<Family> {
  const facilityId = familyFacility(identity, uuidArg(input.facilityId, 'facilityId'));
  const fields = parseInput(familyFields, input, 'The family');
  const created = await tx.family.create({ data: { ...fields, facilityId, tenantId: identity.tenantId } });
  await logChanges(tx, [
    {
      actor: identity,
      tenantId: created.tenantId,
      action: 'family.created',
      entityType: 'family',
      entityId: created.id,
      familyId: created.id,
      after: familySnapshot(created),
    },
  ]);
  return created;
}

export async function updateFamily(tx: Tx, identity: Identity, id: string, patch: UpdateFamilyInput): Promise<Family> {
  const current = await findManagedFamily(tx, identity, id);
  const fields = parseInput(familyFields, { ...current, ...sent(patch) }, 'The family');
  const updated = await tx.family.update({ where: { id: current.id }, data: fields });
  const changes = diff(familySnapshot(current), familySnapshot(updated));
  if (Object.keys(changes.after).length > 0)
    await logChanges(tx, [
      {
        actor: identity,
        tenantId: updated.tenantId,
        action: 'family.updated',
        entityType: 'family',
        entityId: updated.id,
        familyId: updated.id,
        ...changes,
      },
    ]);
  return updated;
}

export async function archiveFamily(tx: Tx, identity: Identity, id: string, why: string): Promise<Family> {
  const because = parseInput(z.object({ reason }), { reason: why }, 'The archive').reason;
  const current = await findManagedFamily(tx, identity, id);
  if (current.archivedAt) throw conflict('The family is already archived.', { reason: 'ALREADY_IN_STATE' });
  const updated = await tx.family.update({ where: { id: current.id }, data: { archivedAt: new Date() } });
  await logChanges(tx, [
    {
      actor: identity,
      tenantId: updated.tenantId,
      action: 'family.archived',
      entityType: 'family',
      entityId: updated.id,
      familyId: updated.id,
      reason: because,
      ...diff(familySnapshot(current), familySnapshot(updated)),
    },
  ]);
  return updated;
}
