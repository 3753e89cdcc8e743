import { toConnection, withinReach, type PageArgs } from '@pathway/kit';
import type { IdentityContext } from '../context.ts';
import { myNotifications, unreadCount } from '../accounts/notifications.ts';
import { facilityFlags, listTenants } from '../accounts/tenants.ts';
import { listIntegrations } from '../accounts/integrations.ts';
import { listWebhookDeliveries } from '../webhooks/deliveries.ts';
import { listWebhookEndpoints } from '../webhooks/endpoints.ts';
import { WEBHOOK_EVENT_TYPES } from '../webhooks/event-types.ts';
import type { WebhookDeliveryState } from '../generated/prisma/client.ts';
import { listRoles } from '../data/rbac.ts';
import { identityStats, type StatsRange } from '../data/stats.ts';
import { listUsers, type UserFilter, type UserSortField } from '../data/users.ts';

interface UsersArgs extends PageArgs {
  filter?: UserFilter | null;
  sort?: { field: UserSortField; direction?: 'ASC' | 'DESC' | null } | null;
}

export const Query = {
  identityStats: (_: unknown, range: StatsRange, ctx: IdentityContext) => ctx.db.run((tx) => identityStats(tx, ctx.identity!, range)),

  me: (_: unknown, __: unknown, ctx: IdentityContext) => ctx.loaders.user.load(ctx.identity!.userId),

  async user(_: unknown, { id }: { id: string }, ctx: IdentityContext) {
    const user = await ctx.loaders.user.load(id);
    if (!user) return null;
    const identity = ctx.identity!;
    // Outside your reach is indistinguishable from not existing.
    const visible = user.id === identity.userId || withinReach(identity, { tenantId: user.tenantId, facilityId: user.homeFacilityId });
    return visible ? user : null;
  },

  async users(_: unknown, args: UsersArgs, ctx: IdentityContext) {
    const sort = { field: args.sort?.field ?? 'CREATED_AT', direction: args.sort?.direction ?? 'DESC' } as const;
    const { rows, query, sortField } = await ctx.db.run((tx) => listUsers(tx, ctx.identity!, args.filter ?? {}, args, sort));
    for (const row of rows) ctx.loaders.user.prime(row.id, row);
    return toConnection(rows, query, sortField);
  },

  async roles(_: unknown, __: unknown, ctx: IdentityContext) {
    const roles = await ctx.db.run((tx) => listRoles(tx));
    return roles.map((role) => ({ ...role, permissions: role.permissions.map((rp) => rp.permission.key).sort() }));
  },

  myNotifications: (_: unknown, args: PageArgs & { unreadOnly?: boolean | null }, ctx: IdentityContext) => myNotifications(ctx, args),
  unreadNotificationCount: (_: unknown, __: unknown, ctx: IdentityContext) => unreadCount(ctx),
  tenants: (_: unknown, args: PageArgs, ctx: IdentityContext) => listTenants(ctx, args),
  facilityFeatureFlags: (_: unknown, args: { facilityId: string }, ctx: IdentityContext) => facilityFlags(ctx, args.facilityId),
  integrations: (_: unknown, args: PageArgs, ctx: IdentityContext) => listIntegrations(ctx, args),
  webhookEndpoints: (_: unknown, args: PageArgs, ctx: IdentityContext) => listWebhookEndpoints(ctx, args),
  webhookDeliveries: (_: unknown, args: PageArgs & { endpointId: string; state?: WebhookDeliveryState | null }, ctx: IdentityContext) =>
    listWebhookDeliveries(ctx, args),
  webhookEventTypes: () => WEBHOOK_EVENT_TYPES,
};
