import type { MutationResolvers } from '../generated/graphql.ts';
import { publishPropertyChanged, publishReservationChanged } from '../events.ts';
import type { Prisma, Property } from '../generated/prisma/client.ts';
import type { ActivityType } from '../writes/activity.ts';
import type { ResolverContext } from '../context.ts';
import { setPropertyMedia } from '../writes/media.ts';
import { decideReservation, requestReservation, type ReservationMove } from '../writes/reservations.ts';
import { changePropertyStatus, createProperty, updateProperty, verifyProperty } from '../writes/properties.ts';
import { transferDigitalAsset } from '../writes/assets.ts';

type Tx = Prisma.TransactionClient;

/**
 * Runs a listing write in one transaction with its event (the outbox), and answers the receipt;
 * the listing itself only as far as its row rule lets the caller see it.
 */
async function listingChange(ctx: ResolverContext, change: ActivityType, write: (tx: Tx) => Promise<Property>) {
  const row = await ctx.db.run(async (tx) => {
    const changed = await write(tx);
    await publishPropertyChanged(ctx.events.within(tx), changed, change);
    return changed;
  });
  ctx.loaders.property.clear(row.id).prime(row.id, row);
  ctx.loaders.mediaOf.clear(row.id);
  return { propertyId: row.id, status: row.status, property: row };
}

/** Runs a reservation write in one transaction with an event per reservation it moved, and answers the receipt. */
async function reservationChange(ctx: ResolverContext, write: (tx: Tx) => Promise<{ moves: ReservationMove[] }>) {
  const moves = await ctx.db.run(async (tx) => {
    const { moves } = await write(tx);
    for (const move of moves) await publishReservationChanged(ctx.events.within(tx), move);
    return moves;
  });
  const row = moves.at(-1)!.reservation;
  for (const { reservation } of moves) ctx.loaders.reservation.clear(reservation.id).prime(reservation.id, reservation);
  return { reservationId: row.id, status: row.status, reservation: row };
}

export const Mutation: MutationResolvers = {
  requestReservation: (_, { input }, ctx) =>
    reservationChange(ctx, (tx) => requestReservation(tx, ctx.identity, input, ctx.reservationHoldHours)),
  confirmReservation: (_, { id }, ctx) => reservationChange(ctx, (tx) => decideReservation(tx, ctx.identity, id, 'confirm')),
  declineReservation: (_, { id, reason }, ctx) =>
    reservationChange(ctx, (tx) => decideReservation(tx, ctx.identity, id, 'decline', reason)),
  cancelReservation: (_, { id, reason }, ctx) => reservationChange(ctx, (tx) => decideReservation(tx, ctx.identity, id, 'cancel', reason)),

  createProperty: (_, { input }, ctx) => listingChange(ctx, 'property.created', (tx) => createProperty(tx, ctx.identity, input)),
  updateProperty: (_, { id, input }, ctx) => listingChange(ctx, 'property.updated', (tx) => updateProperty(tx, ctx.identity, id, input)),
  verifyProperty: (_, { id }, ctx) => listingChange(ctx, 'property.verified', (tx) => verifyProperty(tx, ctx.identity, id)),
  unlistProperty: (_, { id, reason }, ctx) =>
    listingChange(ctx, 'property.unlisted', (tx) => changePropertyStatus(tx, ctx.identity, id, 'unlist', reason)),
  relistProperty: (_, { id }, ctx) => listingChange(ctx, 'property.relisted', (tx) => changePropertyStatus(tx, ctx.identity, id, 'relist')),
  archiveProperty: (_, { id, reason }, ctx) =>
    listingChange(ctx, 'property.archived', (tx) => changePropertyStatus(tx, ctx.identity, id, 'archive', reason)),
  setPropertyMedia: (_, { propertyId, media }, ctx) =>
    listingChange(ctx, 'property.media_set', (tx) => setPropertyMedia(tx, ctx.identity, propertyId, media)),

  async transferDigitalAsset(_, args, ctx) {
    const moved = await transferDigitalAsset(ctx.mongo, ctx.events, ctx.identity, ctx.references, args.assetId, args.toUserId);
    // The event is safe on the asset. Publishing it before answering (as when market published
    // directly) puts it on the stream before the caller's next change, so subscribers' follow-ups
    // mostly see the asset as this transfer left it; should publishing fail, the relay's poll retries.
    await ctx.events.relayNow();
    return moved;
  },
};
