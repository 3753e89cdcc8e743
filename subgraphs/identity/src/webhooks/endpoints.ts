import { z } from 'zod';
import {
  badInput,
  sealSecret,
  forbidden,
  isPrivateHost,
  notFound,
  type PageArgs,
  pageQuery,
  parseInput,
  reachOf,
  toConnection,
} from '@pathway/kit';
import { webhookEndpointAccess } from '../access.ts';
import type { ResolverContext } from '../context.ts';
import type { WebhookEndpoint } from '../generated/prisma/client.ts';
import { endpointSnapshot, listEndpoints, lockEndpoint, recordWebhookChange } from '../data/webhooks.ts';
import { WEBHOOK_EVENT_TYPES } from './event-types.ts';
import { newWebhookSecret } from './signature.ts';

// zod runs refinements after a failed check too, so they must cope with a string that is no URL.
const parsedUrl = (url: string) => (URL.canParse(url) ? new URL(url) : null);
// Plain http only to a private or loopback receiver, and only where WEBHOOK_ALLOW_PRIVATE_NETWORKS
// allows those (development: a receiver on this machine needs no certificate).
const urlField = (allowPrivate: boolean) =>
  z
    .url({ protocol: allowPrivate ? /^https?$/ : /^https$/, error: 'must be an https:// URL' })
    .max(2048, 'at most 2048 characters')
    .refine((url) => parsedUrl(url)?.protocol !== 'http:' || isPrivateHost(parsedUrl(url)!.hostname), 'must be an https:// URL')
    .refine((url) => !parsedUrl(url)?.username && !parsedUrl(url)?.password, 'must not contain credentials')
    .refine((url) => allowPrivate || !isPrivateHost(parsedUrl(url)?.hostname ?? ''), 'must not point at a private or loopback address');
const eventTypes = z
  .array(z.enum(WEBHOOK_EVENT_TYPES, { error: 'unknown event type' }))
  .min(1, 'at least one event type')
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((types) => [...new Set(types)].sort());
const id = z.guid('not an id');
const registerSchema = (allowPrivate: boolean) =>
  z.object({ url: urlField(allowPrivate), eventTypes, facilityId: id.nullish(), integrationId: id.nullish(), tenantId: id.nullish() });
const updateSchema = (allowPrivate: boolean) =>
  z.object({ url: urlField(allowPrivate).nullish(), eventTypes: eventTypes.nullish(), status: z.enum(['active', 'disabled']).nullish() });

export async function listWebhookEndpoints(ctx: ResolverContext, page: PageArgs) {
  const query = pageQuery(page, 'createdAt', 'desc');
  return toConnection(await ctx.db.read((tx) => listEndpoints(tx, webhookEndpointAccess.where(ctx.identity), query)), query, 'createdAt');
}

/** Registers an endpoint; the signing secret is generated here and returned this once only. */
export async function registerWebhookEndpoint(ctx: ResolverContext, raw: unknown) {
  const input = parseInput(registerSchema(ctx.webhookAllowPrivateNetworks), raw);
  const identity = ctx.identity;
  const tenantId = input.tenantId ?? identity.tenantId;
  if (tenantId !== identity.tenantId && reachOf(identity) !== 'system')
    throw forbidden('You can only register webhooks for your own tenant.');
  // Facility-level managers only hear of their own facility.
  const facilityId = reachOf(identity) === 'facility' ? identity.facilityId : (input.facilityId ?? null);
  if (reachOf(identity) === 'facility' && (!facilityId || (input.facilityId && input.facilityId !== facilityId)))
    throw forbidden('You can only register webhooks for your own facility.');
  // Campus vouches for the facility (kit references.ts): an endpoint for a facility that is no one's would hear nothing.
  if (facilityId && (await ctx.references.facilities([facilityId])).get(facilityId)?.tenantId !== tenantId)
    throw notFound('The facility (`facilityId`)');
  const secret = newWebhookSecret();
  const endpoint = await ctx.db.run(async (tx) => {
    if (input.integrationId && !(await tx.integration.findFirst({ where: { id: input.integrationId, tenantId } })))
      throw badInput('Unknown integration.', { integrationId: 'not an integration of this tenant' });
    const created = await tx.webhookEndpoint.create({
      data: {
        tenantId,
        facilityId,
        integrationId: input.integrationId ?? null,
        url: input.url,
        eventTypes: input.eventTypes,
        secretCiphertext: sealSecret(ctx.integrationKeys, secret),
        createdBy: identity.userId,
      },
    });
    await recordWebhookChange(tx, {
      tenantId,
      endpointId: created.id,
      actorId: identity.userId,
      action: 'registered',
      after: endpointSnapshot(created),
    });
    return created;
  });
  return { endpoint, secret };
}

/** Locks an endpoint in the caller's scope, changes it, and records who changed what. */
async function changeEndpoint(
  ctx: ResolverContext,
  id: string,
  action: string,
  change: (endpoint: WebhookEndpoint) => Partial<WebhookEndpoint>,
) {
  return ctx.db.run(async (tx) => {
    const before = await lockEndpoint(tx, id, webhookEndpointAccess.where(ctx.identity));
    if (!before) throw notFound('Webhook endpoint');
    const after = await tx.webhookEndpoint.update({ where: { id }, data: change(before) });
    await recordWebhookChange(tx, {
      tenantId: after.tenantId,
      endpointId: id,
      actorId: ctx.identity.userId,
      action,
      before: endpointSnapshot(before),
      after: endpointSnapshot(after),
    });
    return after;
  });
}

export function updateWebhookEndpoint(ctx: ResolverContext, id: string, raw: unknown) {
  const input = parseInput(updateSchema(ctx.webhookAllowPrivateNetworks), raw);
  return changeEndpoint(ctx, id, 'updated', () => ({
    ...(input.url ? { url: input.url } : {}),
    ...(input.eventTypes ? { eventTypes: input.eventTypes } : {}),
    ...(input.status ? { status: input.status } : {}),
  }));
}

/** A new secret replaces the old at once (deliveries from now on are signed with it); returned this once only. */
export async function rotateWebhookSecret(ctx: ResolverContext, id: string) {
  const secret = newWebhookSecret();
  const endpoint = await changeEndpoint(ctx, id, 'secret_rotated', () => ({
    secretCiphertext: sealSecret(ctx.integrationKeys, secret),
    secretSetAt: new Date(),
  }));
  return { endpoint, secret };
}

/** Deletes the endpoint and its deliveries; the change trail stays. */
export async function deleteWebhookEndpoint(ctx: ResolverContext, id: string) {
  await ctx.db.run(async (tx) => {
    const endpoint = await lockEndpoint(tx, id, webhookEndpointAccess.where(ctx.identity));
    if (!endpoint) throw notFound('Webhook endpoint');
    await tx.webhookEndpoint.delete({ where: { id } });
    await recordWebhookChange(tx, {
      tenantId: endpoint.tenantId,
      endpointId: id,
      actorId: ctx.identity.userId,
      action: 'deleted',
      before: endpointSnapshot(endpoint),
    });
  });
  return true;
}
