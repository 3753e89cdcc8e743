import { defineAccess, hasPermission, matchesFilter, reachFilter, reachOf, tenantFilter, type Identity } from '@pathway/kit';
import type { Prisma, PropertyStatus } from './generated/prisma/client.ts';
import type { AssetFilter } from './data/assets.ts';
import type { SpaceFilter, VirtualSpaceRow } from './data/spaces.ts';
import type { BusinessModelFilter } from './data/business-models.ts';
import type { ProjectFilter } from './data/projects.ts';

/**
 * Who may see market's rows, said once per entity: list queries and loaders AND these filters into
 * their queries, and the shield's row rules decide on a loaded row (or document) from the same filter.
 */

/** The statuses of listings on the exchange; unlisted and archived ones are their owner's and managers' business. */
export const PUBLIC_STATUSES = ['available', 'reserved', 'sold'] as const satisfies PropertyStatus[];

/** Whether the caller manages the listings of their tenant (partners: their organization's; administrators). */
export const managesListings = (identity: Identity) => hasPermission(identity, 'market.property.manage');

/**
 * A listing is its owner's to see, and, within the tenant (listings belong to a tenant, not a
 * facility: kit `tenantFilter`): every listing for those who manage listings; listings on the
 * exchange (PUBLIC_STATUSES) for anyone whose role grants reading listings.
 */
export const propertyAccess = defineAccess('property', (identity): Prisma.PropertyWhereInput => {
  const tenant = tenantFilter(identity);
  if (managesListings(identity)) return tenant;
  if (!hasPermission(identity, 'market.property.read')) return { ...tenant, ownerId: identity.userId };
  return { ...tenant, OR: [{ ownerId: identity.userId }, { status: { in: [...PUBLIC_STATUSES] } }] };
});

/**
 * Whether the caller reads others' reservations through their caseload: staff (anyone with
 * `market.reservation.read` at facility reach who is not its facility administrator). Administrators
 * read those of their reach instead.
 */
export const readsByCaseload = (identity: Identity) =>
  hasPermission(identity, 'market.reservation.read') &&
  !managesListings(identity) &&
  reachOf(identity) === 'facility' &&
  !identity.roles.includes('facility_admin');

/**
 * The user ids of the residents in the caller's caseload, by request identity. Caseloads live in
 * behavior and filters are synchronous, so caseloads.ts asks behavior once per request, before the
 * first reservation read, and leaves the answer here; a filter built before that sees an empty
 * caseload (own reservations only: narrower, never wider).
 */
const caseloadResidents = new WeakMap<Identity, readonly string[]>();
export const rememberCaseload = (identity: Identity, residentIds: readonly string[]) => void caseloadResidents.set(identity, residentIds);

/**
 * A reservation is seen by the person it is for and the listing's owner (the row carries both), by
 * listing managers of the tenant, by staff for the residents of their caseload (behavior's), and by
 * administrators with `market.reservation.read` within their reach (their facility or tenant).
 */
export const reservationAccess = defineAccess('reservation', (identity): Prisma.ReservationWhereInput => {
  const tenant = tenantFilter(identity);
  if (managesListings(identity)) return tenant;
  const parties: Prisma.ReservationWhereInput[] = [{ userId: identity.userId }, { ownerId: identity.userId }];
  if (readsByCaseload(identity)) parties.push({ userId: { in: [...(caseloadResidents.get(identity) ?? [])] } });
  else if (hasPermission(identity, 'market.reservation.read')) parties.push(reachFilter(identity));
  return { ...tenant, OR: parties };
});

/**
 * A transaction is seen by its parties and whoever started it; by listing managers for listing
 * transactions of the tenant (their amounts and payment details stay the parties' and
 * administrators': permissions.ts); by those with `market.transaction.read` (administrators) in the tenant.
 */
export const transactionAccess = defineAccess('transaction', (identity): Prisma.TransactionWhereInput => {
  const tenant = tenantFilter(identity);
  if (hasPermission(identity, 'market.transaction.read')) return tenant;
  const seen: Prisma.TransactionWhereInput[] = [{ sellerId: identity.userId }, { buyerId: identity.userId }, { actorId: identity.userId }];
  if (managesListings(identity)) seen.push({ itemType: 'property' });
  return { ...tenant, OR: seen };
});

/**
 * Digital assets (MongoDB, which has no Row-Level Security: every query of data/assets.ts ANDs this in).
 * Those you hold or made (an issuer sees the badges it issued): always. With `market.asset.read`:
 * listed assets of your tenant (the exchange's catalog); unlisted ones (private holdings such as a
 * resident's GED badge) only with tenant or system reach, so residents, partners and facility staff
 * never browse each other's credentials. The row rule decides on a loaded document with `matchesFilter`.
 */
export const digitalAssetAccess = defineAccess('digitalAsset', (identity): AssetFilter => {
  const heldOrMade = [{ ownerId: identity.userId }, { creatorId: identity.userId }];
  const tenant = tenantFilter(identity);
  if (!hasPermission(identity, 'market.asset.read')) return { ...tenant, $or: heldOrMade };
  if (reachOf(identity) === 'facility') return { ...tenant, $or: [...heldOrMade, { isListed: true }] };
  return tenant;
});

/** Administrators who manage the digital assets (and virtual spaces) of their whole tenant: not a facility's. */
export const managesAssets = (identity: Identity) => hasPermission(identity, 'market.asset.manage') && reachOf(identity) !== 'facility';

/** The spaces the caller may edit (place, move, remove assets): their own, those naming them an editor; all of the tenant for asset managers. */
export function spaceEditFilter(identity: Identity): SpaceFilter {
  const tenant = tenantFilter(identity);
  if (managesAssets(identity)) return tenant;
  return { ...tenant, $or: [{ ownerId: identity.userId }, { 'accessControl.editors': identity.userId }] };
}

/**
 * Virtual spaces (MongoDB: data/spaces.ts ANDs this into every query), by their access control
 * list (seed 004): the owner, editors, allowed users and holders of an allowed role (group); public
 * spaces for anyone of the tenant who may read assets; every space of the tenant for asset managers.
 */
export const virtualSpaceAccess = defineAccess('virtualSpace', (identity): SpaceFilter => {
  const tenant = tenantFilter(identity);
  if (managesAssets(identity)) return tenant;
  const entered: SpaceFilter[] = [
    { ownerId: identity.userId },
    { 'accessControl.editors': identity.userId },
    { 'accessControl.allowedUsers': identity.userId },
    { 'accessControl.allowedGroups': { $in: [...identity.roles] } },
  ];
  if (hasPermission(identity, 'market.asset.read')) entered.push({ 'accessControl.isPublic': true });
  return { ...tenant, $or: entered };
});

/** Whether the caller may edit this (loaded) space. */
export const mayEditSpace = (identity: Identity, space: VirtualSpaceRow) => matchesFilter(spaceEditFilter(identity), space);
/** Whether the caller may change this space's geometry and access: its owner, or an asset manager. */
export const mayConfigureSpace = (identity: Identity, space: VirtualSpaceRow) =>
  space.ownerId === identity.userId || (managesAssets(identity) && matchesFilter(tenantFilter(identity), space));

/** City resources are public links of the tenant (RLS keeps them there): everyone of it who may read listings sees them. */
export const cityResourceAccess = defineAccess('cityResource', (identity): Prisma.CityResourceWhereInput => tenantFilter(identity));

/** Business models are the tenant's catalog of templates: everyone of it who may read listings sees them (the Query rule). */
export const businessModelAccess = defineAccess('businessModel', (identity): BusinessModelFilter => tenantFilter(identity));

/** Whether the caller changes the tenant's business models (administrators, partners). */
export const managesBusinessModels = (identity: Identity) => hasPermission(identity, 'market.business_model.manage');

/** Whether the caller sees and changes the projects of people in their reach (administrators: their facility, tenant or all). */
export const managesProjects = (identity: Identity) => hasPermission(identity, 'market.project.manage');

/**
 * A business project is its owner's; administrators with `market.project.manage` see those of their
 * reach (a project carries its owner's facility, as identity had it when it was started).
 */
export const businessProjectAccess = defineAccess('businessProject', (identity): ProjectFilter => {
  const own = { ...tenantFilter(identity), ownerId: identity.userId };
  if (!managesProjects(identity)) return own;
  return { $or: [own, reachFilter(identity)] };
});
