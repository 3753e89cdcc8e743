import { conflict, parseInput, uuidArg, type Identity } from '@pathway/kit';
import { z } from 'zod';
import { guardianAccess, guardianManageAccess } from '../access.ts';
import type { AddGuardianInput, UpdateGuardianInput } from '../generated/graphql.ts';
import type { Guardian, Prisma } from '../generated/prisma/client.ts';
import { diff, guardianSnapshot, logChanges, type ChangeLine } from './changes.ts';
import { findManagedFamily } from './families.ts';
import { email, findManaged, phone, reason, requiredText, sent } from './records.ts';

type Tx = Prisma.TransactionClient;

/** Channels a guardian may opt into; anything absent is off. */
const preferences = z
  .object({ email: z.boolean().nullish(), sms: z.boolean().nullish(), app: z.boolean().nullish() })
  .nullish()
  .transform((p) => ({ email: p?.email ?? false, sms: p?.sms ?? false, app: p?.app ?? false }));

const guardianFields = z
  .object({
    firstName: requiredText(100),
    lastName: requiredText(100),
    relationship: requiredText(60),
    email,
    phone,
    notificationPreferences: preferences,
  })
  .superRefine((g, ctx) => {
    // A channel needs its contact detail, or messages would be "sent" to nobody.
    if (g.notificationPreferences.email && !g.email)
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'is required to be contacted by email' });
    if (g.notificationPreferences.sms && !g.phone)
      ctx.addIssue({ code: 'custom', path: ['phone'], message: 'is required to be contacted by sms' });
  });

const findManagedGuardian = (tx: Tx, identity: Identity, id: string) =>
  findManaged('The guardian', identity, guardianManageAccess, guardianAccess, (where) => tx.guardian.findFirst({ where }), id);

const line = (actor: Identity, g: Guardian, action: ChangeLine['action'], rest: Partial<ChangeLine>): ChangeLine => ({
  actor,
  tenantId: g.tenantId,
  action,
  entityType: 'guardian',
  entityId: g.id,
  familyId: g.familyId,
  ...rest,
});

/** The person who signs in as the guardian is identity's: their id is taken on the caller's word (as campus takes user ids). */
const userOf = (input: { userId?: string | null }, current: string | null) =>
  input.userId === undefined ? current : input.userId === null ? null : uuidArg(input.userId, 'userId')!;

export async function addGuardian(tx: Tx, identity: Identity, familyId: string, input: AddGuardianInput): Promise<Guardian> {
  const fields = parseInput(guardianFields, input, 'The guardian');
  const userId = userOf(input, null);
  const family = await findManagedFamily(tx, identity, familyId);
  if (userId && (await tx.guardian.findFirst({ where: { familyId: family.id, userId, archivedAt: null } })))
    throw conflict('This person is already a guardian of the family.', { reason: 'DUPLICATE', fields: ['userId'] });
  const created = await tx.guardian.create({ data: { ...fields, userId, familyId: family.id, tenantId: family.tenantId } });
  await logChanges(tx, [line(identity, created, 'guardian.added', { after: guardianSnapshot(created) })]);
  return created;
}

export async function updateGuardian(tx: Tx, identity: Identity, id: string, patch: UpdateGuardianInput): Promise<Guardian> {
  const current = await findManagedGuardian(tx, identity, id);
  const { userId: _u, ...own } = sent(patch);
  const fields = parseInput(guardianFields, { ...current, ...own }, 'The guardian');
  const userId = userOf(patch, current.userId);
  const updated = await tx.guardian.update({ where: { id: current.id }, data: { ...fields, userId } });
  const changes = diff(guardianSnapshot(current), guardianSnapshot(updated));
  if (Object.keys(changes.after).length > 0) await logChanges(tx, [line(identity, updated, 'guardian.updated', changes)]);
  return updated;
}

export async function archiveGuardian(tx: Tx, identity: Identity, id: string, why: string): Promise<Guardian> {
  const because = parseInput(z.object({ reason }), { reason: why }, 'The archive').reason;
  const current = await findManagedGuardian(tx, identity, id);
  if (current.archivedAt) throw conflict('The guardian is already archived.', { reason: 'ALREADY_IN_STATE' });
  const updated = await tx.guardian.update({ where: { id: current.id }, data: { archivedAt: new Date() } });
  const changes = diff(guardianSnapshot(current), guardianSnapshot(updated));
  await logChanges(tx, [line(identity, updated, 'guardian.archived', { reason: because, ...changes })]);
  return updated;
}
