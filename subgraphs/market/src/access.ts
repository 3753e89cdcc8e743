import { defineAccess, hasPermission, reachOf, tenantFilter } from '@pathway/kit';
import type { Prisma } from './generated/prisma/client.ts';
import type { AssetFilter } from './data/assets.ts';

/**
 * Who may see market's rows, said once per entity: list queries and loaders AND these filters into
 * their queries, and the shield's row rules decide on a loaded row (or document) from the same filter.
 */

/**
 * A listing is its owner's to see, and, within the tenant (listings belong to a tenant, not a
 * facility: kit `tenantFilter`), anyone's whose role grants reading listings.
 */
export const propertyAccess = defineAccess('property', (identity): Prisma.PropertyWhereInput => {
  const tenant = tenantFilter(identity);
  return hasPermission(identity, 'market.property.read') ? tenant : { ...tenant, ownerId: identity.userId };
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
