import type { CatalogChangeResolvers, FacilityClosureResolvers } from '../generated/graphql.ts';

export const FacilityClosure: FacilityClosureResolvers = {
  facility: (c, _, ctx) => ctx.loaders.facility.load(c.facilityId),
  date: (c) => c.date.toISOString().slice(0, 10),
};

export const CatalogChange: CatalogChangeResolvers = {
  actor: (c) => ({ id: c.actorId }),
};
