import type { MarketContext } from '../context.ts';
import type { PropertyResolvers } from '../generated/graphql.ts';

const text = (value: unknown) => (typeof value === 'string' ? value : null);

export const Property: PropertyResolvers = {
  __resolveReference: (ref, ctx: MarketContext) => ctx.loaders.property.load(ref.id),
  owner: (property) => ({ id: property.ownerId }),
  organization: (property) => ({ id: property.tenantId }),
  distanceMeters: (property) => property.distanceMeters ?? null,
  /** The JSONB column, read defensively: imported rows may lack parts of the address. */
  address: ({ address }) => {
    const a = address !== null && typeof address === 'object' && !Array.isArray(address) ? address : {};
    return {
      line1: text(a.line1),
      line2: text(a.line2),
      city: text(a.city),
      region: text(a.region),
      postalCode: text(a.postalCode),
      country: text(a.country),
    };
  },
  tags: (property, _, ctx) => ctx.loaders.tagsOf.property.load(property.id),
  media: (property, _, ctx) => ctx.loaders.mediaOf.load(property.id),
  primaryMedia: async (property, _, ctx) => {
    const media = await ctx.loaders.mediaOf.load(property.id);
    return media.find((m) => m.isPrimary) ?? media[0] ?? null;
  },
  transactions: (property, args, ctx) =>
    ctx.loaders.transactionsOfProperty.load({ key: property.id, page: { first: args.first, after: args.after }, filter: null }),
  reservations: (property, args, ctx) =>
    ctx.loaders.reservationsOfProperty.load({
      key: property.id,
      page: { first: args.first, after: args.after },
      filter: args.status ?? null,
    }),
  activity: (property, args, ctx) =>
    ctx.loaders.propertyActivity.load({ key: property.id, page: { first: args.first, after: args.after }, filter: null }),
};
