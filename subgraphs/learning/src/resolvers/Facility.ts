import { isUuid, primeVisible, toConnection } from '@pathway/kit';
import type { FacilityResolvers } from '../generated/graphql.ts';
import { listLibraries } from '../data/open-content.ts';
import { listPlatformsAt } from '../data/providers.ts';

const EMPTY = { edges: [], nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };

/**
 * campus owns the facility; the gateway hands over its id and tenant (`@requires`). A facility
 * whose tenant the caller may not read from campus has nothing listed here.
 */
export const Facility: FacilityResolvers = {
  __resolveReference: (ref) => ({ id: ref.id, tenantId: ref.tenantId ?? null }),

  async libraries(facility, args, ctx) {
    if (!facility.tenantId || !isUuid(facility.id)) return EMPTY;
    const filter = { visibleAtFacilityId: facility.id };
    const { rows, query } = await ctx.db.read((tx) => listLibraries(tx, ctx.identity, filter, args));
    const inTenant = rows.filter((row) => row.tenantId === facility.tenantId);
    primeVisible(ctx.loaders.libraryVisible, inTenant);
    return toConnection(inTenant, query, 'title');
  },

  async providerPlatforms(facility, args, ctx) {
    if (!facility.tenantId || !isUuid(facility.id)) return EMPTY;
    const at = { id: facility.id, tenantId: facility.tenantId };
    const { rows, query } = await ctx.db.read((tx) => listPlatformsAt(tx, ctx.identity, at, args));
    for (const row of rows) ctx.loaders.providerPlatform.prime(row.id, row);
    primeVisible(ctx.loaders.providerPlatformVisible, rows);
    return toConnection(rows, query, 'name');
  },
};
