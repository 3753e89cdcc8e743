import type { CommunicationRuleResolvers, CommunicationTrigger } from '../generated/graphql.ts';

export const CommunicationRule: CommunicationRuleResolvers = {
  trigger: (r) => r.trigger as CommunicationTrigger,
  template: (r, _, ctx) => ctx.loaders.communicationTemplate.load(r.templateId),
  channel: async (r, _, ctx) => (await ctx.loaders.communicationTemplate.load(r.templateId))?.channel ?? null,
  createdBy: (r) => ({ id: r.createdById }),
};
