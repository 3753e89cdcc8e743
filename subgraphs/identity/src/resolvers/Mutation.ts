import { withinReach } from '@pathway/kit';
import { setRolePermissions } from '../auth/roles.ts';
import { createUsers } from '../accounts/create.ts';
import {
  assignRole,
  deleteUser,
  endAllSessions,
  endSession,
  resetPassword,
  revokeRole,
  setUserStatus,
  transferResident,
  unlockUser,
  updateUser,
} from '../accounts/manage.ts';
import { changePassword } from '../accounts/self.ts';
import { cancelSubscription, subscribeUser } from '../accounts/subscriptions.ts';
import { addMyExtension, recordExtensionUse, setPracticalityFactor } from '../accounts/extensions.ts';
import { registerIntegration, updateIntegration } from '../accounts/integrations.ts';
import { createTenant, setFacilityFlag, updateTenant } from '../accounts/tenants.ts';
import type { FeatureFlag } from '../generated/prisma/client.ts';
import { markAllNotificationsRead, markNotificationRead, sendNotification } from '../accounts/notifications.ts';
import { deleteMyPreference, setMyPreference, updateMyProfile } from '../accounts/profile.ts';
import type { IdentityContext } from '../context.ts';
import { replayDeadWebhookDeliveries, replayWebhookDelivery } from '../webhooks/deliveries.ts';
import { deleteWebhookEndpoint, registerWebhookEndpoint, rotateWebhookSecret, updateWebhookEndpoint } from '../webhooks/endpoints.ts';
import type { UserStatus } from '../generated/prisma/client.ts';

type Ctx = IdentityContext;

export const Mutation = {
  login: (_: unknown, args: { username: string; password: string }, ctx: Ctx) => ctx.sessions.login(args.username, args.password),
  refresh: (_: unknown, args: { refreshToken: string }, ctx: Ctx) => ctx.sessions.refresh(args.refreshToken),
  logout: (_: unknown, args: { refreshToken: string }, ctx: Ctx) => ctx.sessions.logout(args.refreshToken),
  setRolePermissions: (_: unknown, args: { role: string; permissions: string[] }, ctx: Ctx) =>
    setRolePermissions(ctx.db, ctx.redis, args.role, args.permissions),

  createUser: async (_: unknown, args: { input: unknown }, ctx: Ctx) => (await createUsers(ctx, [args.input], false))[0],
  bulkCreateUsers: (_: unknown, args: { input: unknown[] }, ctx: Ctx) => createUsers(ctx, args.input, true),
  updateUser: (_: unknown, args: { id: string; input: unknown }, ctx: Ctx) => updateUser(ctx, args.id, args.input),
  setUserStatus: (_: unknown, args: { id: string; status: UserStatus; reason: string }, ctx: Ctx) =>
    setUserStatus(ctx, args.id, args.status, args.reason),
  deleteUser: (_: unknown, args: { id: string; reason?: string | null }, ctx: Ctx) => deleteUser(ctx, args.id, args.reason),
  async transferResident(_: unknown, args: { id: string; facilityId: string; reason?: string | null }, ctx: Ctx) {
    const user = await transferResident(ctx, args.id, args.facilityId, args.reason);
    // A facility admin who sends someone elsewhere no longer sees them.
    return withinReach(ctx.identity!, { tenantId: user.tenantId, facilityId: user.homeFacilityId }) ? user : null;
  },
  resetPassword: (_: unknown, args: { id: string; temporaryPassword: string }, ctx: Ctx) =>
    resetPassword(ctx, args.id, args.temporaryPassword),
  assignRole: (_: unknown, args: { userId: string; role: string }, ctx: Ctx) => assignRole(ctx, args.userId, args.role),
  revokeRole: (_: unknown, args: { userId: string; role: string }, ctx: Ctx) => revokeRole(ctx, args.userId, args.role),
  unlockUser: (_: unknown, args: { id: string }, ctx: Ctx) => unlockUser(ctx, args.id),
  changePassword: (_: unknown, args: { currentPassword: string; newPassword: string }, ctx: Ctx) =>
    changePassword(ctx, args.currentPassword, args.newPassword),
  revokeSession: (_: unknown, args: { sessionId: string }, ctx: Ctx) => endSession(ctx, args.sessionId),
  revokeAllSessions: (_: unknown, args: { userId: string }, ctx: Ctx) => endAllSessions(ctx, args.userId),

  updateMyProfile: (_: unknown, args: { input: unknown }, ctx: Ctx) => updateMyProfile(ctx, args.input),
  setMyPreference: (_: unknown, args: { key: string; value: unknown }, ctx: Ctx) => setMyPreference(ctx, args.key, args.value),
  deleteMyPreference: (_: unknown, args: { key: string }, ctx: Ctx) => deleteMyPreference(ctx, args.key),
  sendNotification: (_: unknown, args: { userId: string; input: unknown }, ctx: Ctx) => sendNotification(ctx, args.userId, args.input),
  markNotificationRead: (_: unknown, args: { id: string }, ctx: Ctx) => markNotificationRead(ctx, args.id),
  markAllNotificationsRead: (_: unknown, __: unknown, ctx: Ctx) => markAllNotificationsRead(ctx),
  createTenant: (_: unknown, args: { input: unknown }, ctx: Ctx) => createTenant(ctx, args.input),
  updateTenant: (_: unknown, args: { id: string; input: unknown }, ctx: Ctx) => updateTenant(ctx, args.id, args.input),
  setFacilityFeatureFlag: (
    _: unknown,
    args: { facilityId: string; flag: FeatureFlag; enabled: boolean; tenantId?: string | null },
    ctx: Ctx,
  ) => setFacilityFlag(ctx, args),
  registerIntegration: (_: unknown, args: { input: unknown }, ctx: Ctx) => registerIntegration(ctx, args.input),
  updateIntegration: (_: unknown, args: { id: string; input: unknown }, ctx: Ctx) => updateIntegration(ctx, args.id, args.input),
  addMyExtension: (_: unknown, args: { input: unknown }, ctx: Ctx) => addMyExtension(ctx, args.input),
  recordExtensionUse: (_: unknown, args: { id: string; feedbackScore?: number | null }, ctx: Ctx) =>
    recordExtensionUse(ctx, args.id, args.feedbackScore),
  setPracticalityFactor: (_: unknown, args: { extensionId: string; name: string; value: number; weight?: number | null }, ctx: Ctx) =>
    setPracticalityFactor(ctx, args.extensionId, { name: args.name, value: args.value, weight: args.weight }),
  subscribeUser: (_: unknown, args: { userId: string; input: unknown }, ctx: Ctx) => subscribeUser(ctx, args.userId, args.input),
  cancelSubscription: (_: unknown, args: { id: string; reason: string }, ctx: Ctx) => cancelSubscription(ctx, args.id, args.reason),
  registerWebhookEndpoint: (_: unknown, args: { input: unknown }, ctx: Ctx) => registerWebhookEndpoint(ctx, args.input),
  updateWebhookEndpoint: (_: unknown, args: { id: string; input: unknown }, ctx: Ctx) => updateWebhookEndpoint(ctx, args.id, args.input),
  rotateWebhookSecret: (_: unknown, args: { id: string }, ctx: Ctx) => rotateWebhookSecret(ctx, args.id),
  deleteWebhookEndpoint: (_: unknown, args: { id: string }, ctx: Ctx) => deleteWebhookEndpoint(ctx, args.id),
  replayWebhookDelivery: (_: unknown, args: { id: string }, ctx: Ctx) => replayWebhookDelivery(ctx, args.id),
  replayDeadWebhookDeliveries: (_: unknown, args: { endpointId: string }, ctx: Ctx) => replayDeadWebhookDeliveries(ctx, args.endpointId),
};
