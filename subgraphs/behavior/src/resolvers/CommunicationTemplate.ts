import type { CommunicationTemplateResolvers } from '../generated/graphql.ts';

export const CommunicationTemplate: CommunicationTemplateResolvers = {
  variables: (t) => (Array.isArray(t.variables) ? (t.variables as string[]) : []),
  createdBy: (t) => ({ id: t.createdById }),
};
