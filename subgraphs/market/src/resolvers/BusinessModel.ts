import type { MarketContext } from '../context.ts';
import type { BusinessModelResolvers } from '../generated/graphql.ts';

export const BusinessModel: BusinessModelResolvers = {
  __resolveReference: (ref, ctx: MarketContext) => ctx.loaders.businessModel.load(ref.id),
  creator: (model) => ({ id: model.creatorId }),
  tags: (model, _, ctx) => ctx.loaders.tagsOf.business_model.load(model.id),
};
