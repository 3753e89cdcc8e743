import { randomUUID } from 'node:crypto';
import { badInput } from '@pathway/kit';
import type { MutationResolvers } from '../generated/graphql.ts';
import { findAssetsByIds } from '../data/assets.ts';
import { publishPropertyChanged, publishReservationChanged, publishTransactionCompleted } from '../events.ts';
import type { Prisma, Property } from '../generated/prisma/client.ts';
import type { ActivityType } from '../writes/activity.ts';
import type { ResolverContext } from '../context.ts';
import { setPropertyMedia } from '../writes/media.ts';
import { startAssetTransaction } from '../writes/asset-transfers.ts';
import { mintDigitalAsset } from '../writes/asset-mints.ts';
import { updateAssetListing } from '../writes/asset-listing.ts';
import { createCityResource, updateCityResource } from '../writes/city-resources.ts';
import { createVirtualSpace, moveAsset, placeAsset, removeAsset, updateVirtualSpace } from '../writes/spaces.ts';
import type { VirtualSpaceRow } from '../data/spaces.ts';
import {
  completePropertyTransaction,
  failPropertyTransaction,
  startPropertyTransaction,
  type TransactionOutcome,
} from '../writes/transactions.ts';
import { decideReservation, requestReservation, type ReservationMove } from '../writes/reservations.ts';
import { changePropertyStatus, createProperty, updateProperty, verifyProperty } from '../writes/properties.ts';
import { createTag, setItemTag } from '../writes/tags.ts';
import { archiveBusinessModel, createBusinessModel, updateBusinessModel } from '../writes/business-models.ts';
import { archiveBusinessProject, createBusinessProject, updateBusinessProject } from '../writes/projects.ts';
import type { ProjectRow } from '../data/projects.ts';
import type { TagItemInput } from '../generated/graphql.ts';
import { rateRecommendation } from '../writes/recommendations.ts';

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
  // The write finds the reservation through its access filter, which needs a staff caller's caseload.
  await ctx.readCaseload();
  const moves = await ctx.db.run(async (tx) => {
    const { moves } = await write(tx);
    for (const move of moves) await publishReservationChanged(ctx.events.within(tx), move);
    return moves;
  });
  const row = moves.at(-1)!.reservation;
  for (const { reservation } of moves) ctx.loaders.reservation.clear(reservation.id).prime(reservation.id, reservation);
  return { reservationId: row.id, status: row.status, reservation: row };
}

const saga = (ctx: ResolverContext) => ({ run: ctx.db.run, mongo: ctx.mongo, events: ctx.events, references: ctx.references });

/** Runs a space write and answers the receipt with the space as the write left it. */
async function spaceChange(ctx: ResolverContext, write: (deps: ReturnType<typeof saga>) => Promise<VirtualSpaceRow>) {
  const space = await write(saga(ctx));
  ctx.loaders.space.clear(space.id).prime(space.id, space);
  return { spaceId: space.id, space };
}

function receipt(ctx: ResolverContext, { transaction, replayed }: TransactionOutcome) {
  ctx.loaders.transaction.clear(transaction.id).prime(transaction.id, transaction);
  return { transactionId: transaction.id, status: transaction.status, replayed, transaction };
}

/** Runs a listing transaction write in one transaction, with its completion event when it completed. */
async function transactionChange(ctx: ResolverContext, write: (tx: Tx) => Promise<TransactionOutcome>) {
  const outcome = await ctx.db.run(async (tx) => {
    const result = await write(tx);
    if (result.completed) await publishTransactionCompleted(ctx.events.within(tx), result.transaction);
    return result;
  });
  return receipt(ctx, outcome);
}

/** Tags or untags an item in one transaction; a listing's change is an event (it invalidates cached listings). */
async function tagChange(ctx: ResolverContext, input: TagItemInput, on: boolean) {
  const { item, tags } = await ctx.db.run(async (tx) => {
    const result = await setItemTag(tx, ctx.mongo, ctx.identity, input, on);
    if (input.itemType === 'property') {
      const property = await tx.property.findUniqueOrThrow({ where: { id: result.item.id } });
      await publishPropertyChanged(ctx.events.within(tx), property, on ? 'property.tagged' : 'property.untagged');
    }
    return result;
  });
  ctx.loaders.tagsOf[input.itemType].clear(item.id).prime(item.id, tags);
  return { itemType: input.itemType, itemId: item.id, tags };
}

/** Runs a project write (its event rides on the document: the kit's document outbox), relays it, answers the receipt. */
async function projectChange(ctx: ResolverContext, write: (deps: ReturnType<typeof saga>) => Promise<ProjectRow>) {
  const project = await write(saga(ctx));
  await ctx.events.relayNow();
  ctx.loaders.project.clear(project.id).prime(project.id, project);
  return { projectId: project.id, status: project.status, project };
}

export const Mutation: MutationResolvers = {
  createTag: async (_, { input }, ctx) => {
    const tag = await ctx.db.run((tx) => createTag(tx, ctx.identity, input));
    return { tagId: tag.id, tag };
  },
  rateRecommendation: async (_, { id, input }, ctx) => {
    const recommendation = await rateRecommendation(
      { run: ctx.db.run, read: ctx.db.read, mongo: ctx.mongo, references: ctx.references },
      ctx.identity,
      id,
      input,
    );
    return { recommendationId: recommendation.id, recommendation };
  },
  tagItem: (_, { input }, ctx) => tagChange(ctx, input, true),
  untagItem: (_, { input }, ctx) => tagChange(ctx, input, false),
  createBusinessModel: async (_, { input }, ctx) => {
    const model = await createBusinessModel(ctx.db.run, ctx.mongo, ctx.identity, input);
    ctx.loaders.businessModel.prime(model.id, model);
    return { modelId: model.id, model };
  },
  updateBusinessModel: async (_, { id, input }, ctx) => {
    const model = await updateBusinessModel(ctx.db.run, ctx.mongo, ctx.identity, id, input);
    ctx.loaders.businessModel.clear(model.id).prime(model.id, model);
    return { modelId: model.id, model };
  },
  archiveBusinessModel: async (_, { id, reason }, ctx) => {
    const model = await archiveBusinessModel(ctx.db.run, ctx.mongo, ctx.identity, id, reason);
    ctx.loaders.businessModel.clear(model.id).prime(model.id, model);
    return { modelId: model.id, model };
  },
  createBusinessProject: (_, { input }, ctx) => projectChange(ctx, (deps) => createBusinessProject(deps, ctx.identity, input)),
  updateBusinessProject: (_, { id, input }, ctx) => projectChange(ctx, (deps) => updateBusinessProject(deps, ctx.identity, id, input)),
  archiveBusinessProject: (_, { id, reason }, ctx) => projectChange(ctx, (deps) => archiveBusinessProject(deps, ctx.identity, id, reason)),

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

  startPropertyTransaction: (_, { input }, ctx) => transactionChange(ctx, (tx) => startPropertyTransaction(tx, ctx.identity, input)),
  completeTransaction: async (_, { id, paymentReference }, ctx) => {
    const answer = await transactionChange(ctx, async (tx) => {
      const outcome = await completePropertyTransaction(tx, ctx.identity, id, paymentReference);
      await publishPropertyChanged(ctx.events.within(tx), outcome.property, 'property.updated');
      return outcome;
    });
    ctx.loaders.property.clear(answer.transaction.propertyId!);
    return answer;
  },
  failTransaction: (_, { id, reason }, ctx) => transactionChange(ctx, (tx) => failPropertyTransaction(tx, ctx.identity, id, reason)),
  startAssetTransaction: async (_, { input }, ctx) => {
    const outcome = await startAssetTransaction(saga(ctx), ctx.identity, ctx.references, input);
    return receipt(ctx, outcome);
  },

  mintDigitalAsset: async (_, { input }, ctx) => {
    const outcome = await mintDigitalAsset(saga(ctx), ctx.identity, ctx.references, input);
    const { transaction } = receipt(ctx, outcome);
    const assetId = transaction.assetId!;
    ctx.loaders.asset.clear(assetId);
    const asset = transaction.status === 'completed' ? await ctx.loaders.asset.load(assetId) : null;
    return { assetId, transactionId: transaction.id, status: transaction.status, replayed: outcome.replayed, transaction, asset };
  },
  updateDigitalAssetListing: async (_, { id, input }, ctx) => {
    const asset = await updateAssetListing(ctx.db.run, ctx.mongo, ctx.identity, id, input);
    ctx.loaders.asset.clear(asset.id).prime(asset.id, asset);
    return { assetId: asset.id, isListed: asset.isListed, asset };
  },

  createCityResource: async (_, { input }, ctx) => {
    const resource = await ctx.db.run((tx) => createCityResource(tx, ctx.identity, input));
    return { resourceId: resource.id, resource };
  },
  updateCityResource: async (_, { id, input }, ctx) => {
    const resource = await ctx.db.run((tx) => updateCityResource(tx, ctx.identity, id, input));
    ctx.loaders.cityResource.clear(resource.id).prime(resource.id, resource);
    return { resourceId: resource.id, resource };
  },
  createVirtualSpace: (_, { input }, ctx) => spaceChange(ctx, (deps) => createVirtualSpace(deps, ctx.identity, input)),
  updateVirtualSpace: (_, { id, input }, ctx) => spaceChange(ctx, (deps) => updateVirtualSpace(deps, ctx.identity, id, input)),
  placeAssetInSpace: (_, { spaceId, input }, ctx) => spaceChange(ctx, (deps) => placeAsset(deps, ctx.identity, spaceId, input)),
  moveAssetInSpace: (_, { spaceId, input }, ctx) => spaceChange(ctx, (deps) => moveAsset(deps, ctx.identity, spaceId, input)),
  removeAssetFromSpace: (_, { spaceId, assetId }, ctx) => spaceChange(ctx, (deps) => removeAsset(deps, ctx.identity, spaceId, assetId)),

  /**
   * Hands an asset to another person of the tenant: its holder may, and so may an administrator
   * with `market.asset.manage` within reach. A transfer unlists it. Since transactions exist, this
   * is a transfer transaction under a fresh idempotency key (no retry semantics: use
   * startAssetTransaction for those); it answers the asset as the transfer left it.
   */
  async transferDigitalAsset(_, args, ctx) {
    const outcome = await startAssetTransaction(saga(ctx), ctx.identity, ctx.references, {
      idempotencyKey: `transferDigitalAsset:${randomUUID()}`,
      assetId: args.assetId,
      toUserId: args.toUserId,
      transactionType: 'transfer',
    });
    if (outcome.transaction.status !== 'completed')
      throw badInput('The asset changed hands meanwhile; look it up again.', { assetId: 'changed meanwhile' });
    const [moved] = await findAssetsByIds(ctx.mongo, ctx.identity, [args.assetId]);
    return moved ?? null;
  },
};
