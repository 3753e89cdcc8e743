import { primeVisible, toConnection } from '@pathway/kit';
import type { QueryResolvers } from '../generated/graphql.ts';
import { myNotifications, unreadCount } from '../writes/notifications.ts';
import { facilityFlags, listTenants } from '../writes/tenants.ts';
import { listIntegrations } from '../writes/integrations.ts';
import { listServiceAccounts } from '../writes/service-accounts.ts';
import { listWebhookDeliveries } from '../webhooks/deliveries.ts';
import { listWebhookEndpoints } from '../webhooks/endpoints.ts';
import { WEBHOOK_EVENT_TYPES } from '../webhooks/event-types.ts';
import { listRoles } from '../data/rbac.ts';
import { identityStats } from '../data/stats.ts';
import { listUsers } from '../data/users.ts';

export const Query: QueryResolvers = {
  identityStats: (_, range, ctx) => ctx.db.read((tx) => identityStats(tx, ctx.identity, range)),

  me: (_, __, ctx) => ctx.loaders.user.load(ctx.identity.userId),

  // The loader reads through userAccess: outside your reach is indistinguishable from not existing.
  user: (_, { id }, ctx) => ctx.loaders.user.load(id),

  async users(_, args, ctx) {
    const sort = { field: args.sort?.field ?? 'CREATED_AT', direction: args.sort?.direction ?? 'DESC' } as const;
    const { rows, query, sortField } = await ctx.db.read((tx) => listUsers(tx, ctx.identity, args.filter ?? {}, args, sort));
    for (const row of rows) ctx.loaders.user.prime(row.id, row);
    primeVisible(ctx.loaders.visibleUser, rows);
    return toConnection(rows, query, sortField);
  },

  async roles(_, __, ctx) {
    const roles = await ctx.db.read((tx) => listRoles(tx));
    return roles.map((role) => ({ ...role, permissions: role.permissions.map((rp) => rp.permission.key).sort() }));
  },

  myNotifications: (_, args, ctx) => myNotifications(ctx, args),
  unreadNotificationCount: (_, __, ctx) => unreadCount(ctx),
  tenants: (_, args, ctx) => listTenants(ctx, args),
  facilityFeatureFlags: (_, args, ctx) => facilityFlags(ctx, args.facilityId),
  integrations: (_, args, ctx) => listIntegrations(ctx, args),
  webhookEndpoints: (_, args, ctx) => listWebhookEndpoints(ctx, args),
  webhookDeliveries: (_, args, ctx) => listWebhookDeliveries(ctx, args),
  webhookEventTypes: () => [...WEBHOOK_EVENT_TYPES],
  serviceAccounts: (_, args, ctx) => listServiceAccounts(ctx, args),
};
