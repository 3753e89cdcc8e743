import type { MarketContext } from '../context.ts';
import type { ReservationResolvers } from '../generated/graphql.ts';

export const Reservation: ReservationResolvers = {
  __resolveReference: (ref, ctx: MarketContext) => ctx.loaders.reservation.load(ref.id),
  // Read through the listing's own access: the person it is for may no longer see an unlisted listing.
  property: (r, _, ctx) => ctx.loaders.property.load(r.propertyId),
  user: (r) => ({ id: r.userId }),
  activity: (r, args, ctx) =>
    ctx.loaders.reservationActivity.load({ key: r.id, page: { first: args.first, after: args.after }, filter: null }),
};
