import type { PageArgs } from '@pathway/kit';
import type { IdentityContext } from '../context.ts';
import type { WebhookChange as WebhookChangeRow, WebhookEndpoint as WebhookEndpointRow } from '../generated/prisma/client.ts';
import { webhookChangeLog } from '../webhooks/deliveries.ts';

/** The secret's ciphertext has no field in the schema: only registerWebhookEndpoint/rotateWebhookSecret return a secret. */
export const WebhookEndpoint = {
  integration: (row: WebhookEndpointRow, _: unknown, ctx: IdentityContext) =>
    row.integrationId ? ctx.loaders.integration.load(row.integrationId) : null,
  // The creator may be outside the reader's reach (a system administrator): then the User's own rules hide its fields.
  createdBy: (row: WebhookEndpointRow, _: unknown, ctx: IdentityContext) => (row.createdBy ? ctx.loaders.user.load(row.createdBy) : null),
  changeLog: (row: WebhookEndpointRow, page: PageArgs, ctx: IdentityContext) => webhookChangeLog(ctx, row.id, page),
};

export const WebhookChange = {
  actor: (row: WebhookChangeRow, _: unknown, ctx: IdentityContext) => (row.actorId ? ctx.loaders.user.load(row.actorId) : null),
};
