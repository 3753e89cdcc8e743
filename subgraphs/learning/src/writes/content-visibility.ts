import { badInput, notFound, requireFacility, uuidArg, type FacilityRef, type Identity, type References } from '@pathway/kit';
import { helpfulLinkAccess, libraryAccess, videoAccess } from '../access.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { ITEM_COLUMN, type ContentKind } from '../data/open-content.ts';

type Tx = Prisma.TransactionClient;

const WHAT: Record<ContentKind, string> = { library: 'The library', video: 'The video', helpful_link: 'The helpful link' };

/** The item of `kind`, as the caller may see it (NOT_FOUND otherwise). */
export async function visibleItem(tx: Tx, identity: Identity, kind: ContentKind, id: string): Promise<{ id: string; tenantId: string }> {
  const itemId = uuidArg(id, 'id')!;
  const select = { id: true, tenantId: true } as const;
  const found =
    kind === 'library'
      ? await tx.library.findFirst({ where: { AND: [{ id: itemId }, libraryAccess.where(identity)] }, select })
      : kind === 'video'
        ? await tx.video.findFirst({ where: { AND: [{ id: itemId }, videoAccess.where(identity)] }, select })
        : await tx.helpfulLink.findFirst({ where: { AND: [{ id: itemId }, helpfulLinkAccess.where(identity)] }, select });
  if (!found) throw notFound(WHAT[kind]);
  return found;
}

/**
 * The facilities named, each checked with campus (kit references): it exists in the caller's tenant
 * (NOT_FOUND) and lies in their reach (FORBIDDEN: a facility administrator shows content at their own).
 */
export async function checkedFacilities(refs: References, identity: Identity, facilityIds: string[], field = 'facilityIds') {
  return Promise.all(facilityIds.map((id, i) => requireFacility(refs, identity, id, facilityIds.length > 1 ? `${field}.${i}` : field)));
}

function sameTenant(item: { tenantId: string }, facilities: FacilityRef[]) {
  const foreign = facilities.findIndex((f) => f.tenantId !== item.tenantId);
  if (foreign >= 0) throw badInput('Content is shown at facilities of its own tenant.', { facilityId: 'belongs to another tenant' });
}

/** Makes an item visible at the facilities (already visible ones stay as they are). */
export async function showAt(
  tx: Tx,
  identity: Identity,
  kind: ContentKind,
  itemId: string,
  facilities: FacilityRef[],
  tenantId = identity.tenantId,
) {
  sameTenant({ tenantId }, facilities);
  if (!facilities.length) return 0;
  const { count } = await tx.openContentVisibility.createMany({
    data: facilities.map((f) => ({ tenantId, facilityId: f.id, [ITEM_COLUMN[kind]]: itemId, createdBy: identity.userId })),
    skipDuplicates: true,
  });
  return count;
}

/** Shows or hides one item at one facility; `changed` is false when it already was so. */
export async function setVisibility(
  tx: Tx,
  identity: Identity,
  refs: References,
  kind: ContentKind,
  id: string,
  facilityId: string,
  visible: boolean,
) {
  const item = await visibleItem(tx, identity, kind, id);
  const [facility] = await checkedFacilities(refs, identity, [uuidArg(facilityId, 'facilityId')!], 'facilityId');
  sameTenant(item, [facility!]);
  const changed = visible
    ? (await showAt(tx, identity, kind, item.id, [facility!], item.tenantId)) > 0
    : (await tx.openContentVisibility.deleteMany({ where: { facilityId: facility!.id, [ITEM_COLUMN[kind]]: item.id } })).count > 0;
  return { kind, id: item.id, facilityId: facility!.id, visible, changed };
}

/** Adds a visible item to the caller's favorites; `created` is false when it already was one. */
export async function addFavorite(tx: Tx, identity: Identity, kind: ContentKind, id: string) {
  const item = await visibleItem(tx, identity, kind, id);
  const where = { userId: identity.userId, [ITEM_COLUMN[kind]]: item.id };
  // ON CONFLICT DO NOTHING: two taps at once make one favorite, and neither fails.
  const { count } = await tx.openContentFavorite.createMany({
    data: [{ tenantId: identity.tenantId, userId: identity.userId, facilityId: identity.facilityId, [ITEM_COLUMN[kind]]: item.id }],
    skipDuplicates: true,
  });
  return { favorite: (await tx.openContentFavorite.findFirst({ where }))!, created: count > 0 };
}

export async function removeFavorite(tx: Tx, identity: Identity, kind: ContentKind, id: string) {
  const itemId = uuidArg(id, 'id')!;
  const { count } = await tx.openContentFavorite.deleteMany({ where: { userId: identity.userId, [ITEM_COLUMN[kind]]: itemId } });
  return { removed: count > 0 };
}
