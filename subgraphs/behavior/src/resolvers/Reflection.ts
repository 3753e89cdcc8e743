import type { ReflectionResolvers } from '../generated/graphql.ts';

type Answer = { prompt: string; answer: string | null };

export const Reflection: ReflectionResolvers = {
  request: (r, _, ctx) => ctx.loaders.request.load(r.requestId),
  responses: (r) => (Array.isArray(r.responses) ? (r.responses as Answer[]) : []),
  reviewedBy: (r) => (r.reviewedById ? { id: r.reviewedById } : null),
};
