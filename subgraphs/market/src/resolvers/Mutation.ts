import type { MutationResolvers } from '../generated/graphql.ts';
import { transferDigitalAsset } from '../writes/assets.ts';

export const Mutation: MutationResolvers = {
  async transferDigitalAsset(_, args, ctx) {
    const moved = await transferDigitalAsset(ctx.mongo, ctx.events, ctx.identity, ctx.references, args.assetId, args.toUserId);
    // The event is safe on the asset. Publishing it before answering (as when market published
    // directly) puts it on the stream before the caller's next change, so subscribers' follow-ups
    // mostly see the asset as this transfer left it; should publishing fail, the relay's poll retries.
    await ctx.events.relayNow();
    return moved;
  },
};
