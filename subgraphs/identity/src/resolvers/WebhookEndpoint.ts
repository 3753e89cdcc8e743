import type { WebhookChangeResolvers, WebhookEndpointResolvers } from '../generated/graphql.ts';
import { webhookChangeLog } from '../webhooks/deliveries.ts';

/** The secret's ciphertext has no field in the schema: only registerWebhookEndpoint/rotateWebhookSecret return a secret. */
export const WebhookEndpoint: WebhookEndpointResolvers = {
  integration: (row, _, ctx) => (row.integrationId ? ctx.loaders.integration.load(row.integrationId) : null),
  // A creator outside the reader's reach (a system administrator) is null, as any person out of reach.
  createdBy: (row, _, ctx) => (row.createdBy ? ctx.loaders.user.load(row.createdBy) : null),
  changeLog: (row, page, ctx) => webhookChangeLog(ctx, row.id, page),
};

export const WebhookChange: WebhookChangeResolvers = {
  actor: (row, _, ctx) => (row.actorId ? ctx.loaders.user.load(row.actorId) : null),
};
