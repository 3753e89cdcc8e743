import { badInput, conflict, forbidden, hasPermission, isUuid, notFound, reachOf } from '@pathway/kit';
import type { MutationResolvers } from '../generated/graphql.ts';
import { findAssetsByIds, transferAsset } from '../data/assets.ts';
import { assetTransferredEvent } from '../events.ts';

export const Mutation: MutationResolvers = {
  /**
   * Hands an asset to another person of the tenant: its holder may, and so may an administrator
   * with `market.asset.manage` within reach. A transfer unlists the asset.
   */
  async transferDigitalAsset(_, args, ctx) {
    const { identity } = ctx;
    if (!isUuid(args.assetId)) throw badInput('`assetId` is not a valid id.', { assetId: 'not a UUID' });
    if (!isUuid(args.toUserId)) throw badInput('`toUserId` is not a valid id.', { toUserId: 'not a UUID' });
    const [asset] = await findAssetsByIds(ctx.mongo, identity, [args.assetId]);
    if (!asset) throw notFound('That digital asset');
    const isHolder = asset.ownerId === identity.userId;
    const mayManage = hasPermission(identity, 'market.asset.manage') && reachOf(identity) !== 'facility';
    if (!isHolder && !mayManage) throw forbidden('Only the holder of this asset, or an administrator who manages assets, may transfer it.');
    if (args.toUserId === asset.ownerId) throw conflict('The asset already belongs to that person.', { reason: 'ALREADY_IN_STATE' });
    const event = assetTransferredEvent(ctx.events, asset, asset.ownerId, args.toUserId);
    const moved = await transferAsset(ctx.mongo, identity, asset.id, asset.ownerId, args.toUserId, event);
    if (!moved) throw badInput('The asset changed hands meanwhile; look it up again.', { assetId: 'changed meanwhile' });
    // The event is safe on the asset. Publishing it before answering (as when market published
    // directly) puts it on the stream before the caller's next change, so subscribers' follow-ups
    // mostly see the asset as this transfer left it; should publishing fail, the relay's poll retries.
    await ctx.events.relayNow();
    return moved;
  },
};
