import type { MarketContext } from '../context.ts';
import type { CityResourceResolvers } from '../generated/graphql.ts';

export const CityResource: CityResourceResolvers = {
  __resolveReference: (ref, ctx: MarketContext) => ctx.loaders.cityResource.load(ref.id),
  distanceMeters: (resource) => resource.distanceMeters ?? null,
};
