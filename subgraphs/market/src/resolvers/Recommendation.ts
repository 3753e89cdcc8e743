import type { RecommendationResolvers } from '../generated/graphql.ts';

/** A computed recommendation; the item it names is read through that item's own access. */
export const Recommendation: RecommendationResolvers = {
  recommendationType: (r) => r.type,
  relatedEntity: (r) => ({ entityType: r.entityType, entityId: r.entityId }),
  businessModel: (r, _, ctx) => (r.entityType === 'business_model' ? ctx.loaders.businessModel.load(r.entityId) : null),
  property: (r, _, ctx) => (r.entityType === 'property' ? ctx.loaders.property.load(r.entityId) : null),
  cityResource: (r, _, ctx) => (r.entityType === 'city_resource' ? ctx.loaders.cityResource.load(r.entityId) : null),
  feedback: (r) =>
    r.feedback
      ? { rating: r.feedback.rating, comment: r.feedback.comments, implemented: r.feedback.implemented, givenAt: r.feedback.givenAt }
      : null,
};
