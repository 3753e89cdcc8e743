import { conflict, forbidden, notFound, parseInput, rethrowDuplicate, uuidArg, type Identity } from '@pathway/kit';
import type { CreatePropertyInput, UpdatePropertyInput } from '../generated/graphql.ts';
import type { Prisma, Property, PropertyStatus } from '../generated/prisma/client.ts';
import { managesListings, propertyAccess } from '../access.ts';
import { changedFields, logActivity, type ActivityType } from './activity.ts';
import { importRef, parseProperty, reasonText } from './property-input.ts';

type Tx = Prisma.TransactionClient;

/** The facts of a listing an activity line keeps (decimals as strings). */
export const propertySnapshot = (p: Property) => ({
  propertyType: p.propertyType,
  status: p.status,
  address: p.address,
  latitude: p.latitude?.toString() ?? null,
  longitude: p.longitude?.toString() ?? null,
  price: p.price.toFixed(2),
  currency: p.currency,
  sizeSqft: p.sizeSqft?.toFixed(2) ?? null,
  zoning: p.zoning,
  description: p.description,
  features: p.features,
  isVerified: p.isVerified,
});

/** Facts that, when changed, make a verified listing unverified again: staff confirmed the old ones. */
const VERIFIED_FACTS = ['propertyType', 'address', 'latitude', 'longitude', 'price', 'currency', 'sizeSqft'];

/**
 * Locks the listing row (SELECT … FOR UPDATE) for the rest of the transaction and returns it if the
 * caller may see it (else NOT_FOUND: another tenant's id looks unknown). Every listing write goes
 * through here, so concurrent changes of one listing run one after another.
 */
export async function lockProperty(tx: Tx, identity: Identity, id: string, name = 'id'): Promise<Property> {
  const propertyId = uuidArg(id, name)!;
  await tx.$queryRaw`SELECT id FROM properties WHERE id = ${propertyId}::uuid FOR UPDATE`;
  const found = await tx.property.findFirst({ where: { AND: [{ id: propertyId }, propertyAccess.where(identity)] } });
  if (!found) throw notFound('The listing');
  return found;
}

/** Its owner, or someone who manages the tenant's listings. */
export function assertMayChange(identity: Identity, property: Property): void {
  if (property.ownerId !== identity.userId && !managesListings(identity))
    throw forbidden('Only the owner of this listing, or someone who manages listings, may change it.');
}

function assertNotArchived(property: Property): void {
  if (property.status === 'archived') throw conflict('The listing is archived; it can no longer change.', { reason: 'LISTING_ARCHIVED' });
}

export async function createProperty(tx: Tx, identity: Identity, input: CreatePropertyInput): Promise<Property> {
  const fields = parseProperty({ ...input, currency: input.currency ?? 'USD', features: input.features ?? {} });
  const ref = parseInput(importRef, { source: input.source, sourceId: input.sourceId }, 'The listing');
  const created = await tx.property
    .create({
      data: {
        ...fields,
        features: fields.features as Prisma.InputJsonObject,
        tenantId: identity.tenantId,
        ownerId: identity.userId,
        source: ref.source ?? 'manual',
        sourceId: ref.sourceId ?? null,
      },
    })
    .catch(rethrowDuplicate('A listing with this source id exists in your tenant.', { sourceId: 'already listed' }));
  await logActivity(tx, [
    { actor: identity, entity: created, entityType: 'property', activityType: 'property.created', after: propertySnapshot(created) },
  ]);
  return created;
}

export async function updateProperty(tx: Tx, identity: Identity, id: string, patch: UpdatePropertyInput): Promise<Property> {
  const current = await lockProperty(tx, identity, id);
  assertMayChange(identity, current);
  assertNotArchived(current);
  const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  // Required fields cannot be cleared: a null for them is checked (and refused) like any bad value.
  const fields = parseProperty({ ...current, ...given, features: 'features' in given ? (given.features ?? {}) : current.features });
  const before = propertySnapshot(current);
  const draft = propertySnapshot({ ...current, ...fields } as Property);
  const { keys } = changedFields(before, draft);
  const unverify = current.isVerified && keys.some((k) => VERIFIED_FACTS.includes(k));
  const updated = await tx.property.update({
    where: { id: current.id },
    data: {
      ...fields,
      features: fields.features as Prisma.InputJsonObject,
      ...(unverify ? { isVerified: false, verifiedAt: null, verifiedById: null } : {}),
    },
  });
  const diff = changedFields(before, propertySnapshot(updated));
  if (diff.keys.length > 0)
    await logActivity(tx, [
      {
        actor: identity,
        entity: updated,
        entityType: 'property',
        activityType: 'property.updated',
        before: diff.before,
        after: diff.after,
      },
    ]);
  return updated;
}

export async function verifyProperty(tx: Tx, identity: Identity, id: string): Promise<Property> {
  const current = await lockProperty(tx, identity, id);
  assertNotArchived(current);
  if (current.isVerified) throw conflict('The listing is already verified.', { reason: 'ALREADY_IN_STATE' });
  const updated = await tx.property.update({
    where: { id: current.id },
    data: { isVerified: true, verifiedAt: new Date(), verifiedById: identity.userId },
  });
  await logActivity(tx, [
    {
      actor: identity,
      entity: updated,
      entityType: 'property',
      activityType: 'property.verified',
      before: { isVerified: false },
      after: { isVerified: true },
    },
  ]);
  return updated;
}

/** The status changes a listing's owner or manager makes by hand; reservations and sales come later. */
const STATUS_CHANGES: Record<'unlist' | 'relist' | 'archive', { to: PropertyStatus; from: PropertyStatus[]; activity: ActivityType }> = {
  unlist: { to: 'unlisted', from: ['available'], activity: 'property.unlisted' },
  relist: { to: 'available', from: ['unlisted'], activity: 'property.relisted' },
  archive: { to: 'archived', from: ['available', 'unlisted', 'reserved', 'sold'], activity: 'property.archived' },
};

export async function changePropertyStatus(
  tx: Tx,
  identity: Identity,
  id: string,
  change: keyof typeof STATUS_CHANGES,
  reason?: string | null,
): Promise<Property> {
  const why = parseInput(reasonText, reason, 'The reason');
  const current = await lockProperty(tx, identity, id);
  assertMayChange(identity, current);
  const { to, from, activity } = STATUS_CHANGES[change];
  if (current.status === to) throw conflict(`The listing is already ${to}.`, { reason: 'ALREADY_IN_STATE' });
  if (!from.includes(current.status))
    throw conflict(`A ${current.status} listing cannot become ${to}.`, {
      reason: 'INVALID_TRANSITION',
      from: current.status,
      to,
      allowed: Object.values(STATUS_CHANGES)
        .filter((c) => c.from.includes(current.status))
        .map((c) => c.to),
    });
  const updated = await tx.property.update({ where: { id: current.id }, data: { status: to } });
  await logActivity(tx, [
    {
      actor: identity,
      entity: updated,
      entityType: 'property',
      activityType: activity,
      reason: why ?? null,
      before: { status: current.status },
      after: { status: to },
    },
  ]);
  return updated;
}
