import { badInput, conflict, forbidden, notFound, reachFilter, reachOf, rethrowDuplicate, type Identity, parseInput } from '@pathway/kit';
import { z } from 'zod';
import type { CreateFacilityInput, UpdateFacilityInput } from '../generated/graphql.ts';
import type { Facility, Prisma } from '../generated/prisma/client.ts';
import { changedFields, logCatalogChange } from '../data/catalog-changes.ts';

type Tx = Prisma.TransactionClient;

/** The IANA database as Node's ICU knows it (canonical names), plus UTC, which it lists under no area. */
const ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
const timezone = z
  .string()
  .trim()
  .refine((zone) => ZONES.has(zone), 'is not an IANA time zone (e.g. America/Chicago)');
const fields = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  timezone,
  address: z.string().trim().max(500).nullish(),
});

const snapshot = (f: Facility) => ({
  name: f.name,
  timezone: f.timezone,
  address: f.address,
  archivedAt: f.archivedAt?.toISOString() ?? null,
});
/** Classes not yet ended hold a facility (and a program) in use. */
export const OPEN_CLASS = ['Scheduled', 'Active', 'Paused'] as const;

/** A facility in the caller's reach, locked for the rest of the transaction, or NOT_FOUND. */
async function lockFacility(tx: Tx, identity: Identity, id: string): Promise<Facility> {
  await tx.$queryRaw`SELECT id FROM facilities WHERE id = ${id}::uuid FOR UPDATE`;
  const found = await tx.facility.findFirst({ where: { AND: [{ id }, reachFilter(identity, 'id')] } });
  if (!found) throw notFound('The facility');
  return found;
}

export async function createFacility(tx: Tx, identity: Identity, input: CreateFacilityInput) {
  const data = parseInput(fields, input, 'The facility');
  const system = reachOf(identity) === 'system';
  if (system && !input.tenantId)
    throw badInput('Name the tenant of the new facility.', { tenantId: 'is required for system administrators' });
  if (!system && input.tenantId && input.tenantId !== identity.tenantId) throw forbidden('You create facilities only in your own tenant.');
  if (reachOf(identity) === 'facility') throw forbidden('Only system and department administrators create facilities.');
  const tenantId = system ? input.tenantId! : identity.tenantId;
  const created = await tx.facility
    .create({ data: { tenantId, name: data.name, timezone: data.timezone, address: data.address ?? null } })
    .catch(rethrowDuplicate('Another facility of the tenant has this name.', { name: 'is taken' }));
  await logCatalogChange(tx, {
    actor: identity,
    tenantId,
    entityType: 'facility',
    entityId: created.id,
    action: 'facility.created',
    after: snapshot(created),
  });
  return { facility: created, action: 'facility.created' };
}

export async function updateFacility(tx: Tx, identity: Identity, id: string, patch: UpdateFacilityInput) {
  const current = await lockFacility(tx, identity, id);
  const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  const data = parseInput(fields, { ...current, ...given }, 'The facility');
  const updated = await tx.facility
    .update({ where: { id: current.id }, data: { name: data.name, timezone: data.timezone, address: data.address ?? null } })
    .catch(rethrowDuplicate('Another facility of the tenant has this name.', { name: 'is taken' }));
  const diff = changedFields(snapshot(current), snapshot(updated));
  if (diff.changed)
    await logCatalogChange(tx, {
      actor: identity,
      tenantId: current.tenantId,
      entityType: 'facility',
      entityId: id,
      action: 'facility.updated',
      ...diff,
    });
  return { facility: updated, action: 'facility.updated' };
}

/** What would still depend on the facility: classes not yet ended, and the people enrolled in them. */
async function dependentsOf(tx: Tx, facilityId: string) {
  const open = { facilityId, status: { in: [...OPEN_CLASS] } };
  const classes = await tx.programClass.count({ where: open });
  const enrollments = await tx.classEnrollment.count({ where: { status: 'Enrolled', programClass: open } });
  return { classes, enrollments };
}

export async function archiveFacility(tx: Tx, identity: Identity, id: string, reason: string | null | undefined) {
  const current = await lockFacility(tx, identity, id);
  if (current.archivedAt) throw conflict('The facility is already archived.', { reason: 'ALREADY_IN_STATE' });
  const dependents = await dependentsOf(tx, id);
  if (dependents.classes > 0) {
    throw conflict(
      `The facility is in use: ${dependents.classes} class(es) not yet ended (Scheduled, Active or Paused) with ${dependents.enrollments} active enrollment(s). Complete or cancel them first.`,
      { reason: 'IN_USE', dependents },
    );
  }
  const updated = await tx.facility.update({ where: { id }, data: { archivedAt: new Date() } });
  await logCatalogChange(tx, {
    actor: identity,
    tenantId: current.tenantId,
    entityType: 'facility',
    entityId: id,
    action: 'facility.archived',
    reason: reason?.trim() || null,
    before: { archivedAt: null },
    after: { archivedAt: updated.archivedAt!.toISOString() },
  });
  return { facility: updated, action: 'facility.archived' };
}

export async function reactivateFacility(tx: Tx, identity: Identity, id: string) {
  const current = await lockFacility(tx, identity, id);
  if (!current.archivedAt) throw conflict('The facility is in use already.', { reason: 'ALREADY_IN_STATE' });
  const updated = await tx.facility.update({ where: { id }, data: { archivedAt: null } });
  await logCatalogChange(tx, {
    actor: identity,
    tenantId: current.tenantId,
    entityType: 'facility',
    entityId: id,
    action: 'facility.reactivated',
    before: { archivedAt: current.archivedAt.toISOString() },
    after: { archivedAt: null },
  });
  return { facility: updated, action: 'facility.reactivated' };
}
