import { rowVisible } from '@pathway/kit';
import { userAccess } from '../access.ts';
import type { IdentityContext } from '../context.ts';
import type { MutationResolvers } from '../generated/graphql.ts';
import { setRolePermissions } from '../auth/roles.ts';
import { createUser } from '../writes/create.ts';
import { bulkCreateUsers } from '../writes/bulk-users.ts';
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
} from '../writes/manage.ts';
import { changePassword } from '../writes/self.ts';
import { cancelSubscription, subscribeUser } from '../writes/subscriptions.ts';
import { addMyExtension, recordExtensionUse, setPracticalityFactor } from '../writes/extensions.ts';
import { registerIntegration, updateIntegration } from '../writes/integrations.ts';
import { createTenant, setFacilityFlag, updateTenant } from '../writes/tenants.ts';
import { markAllNotificationsRead, markNotificationRead, sendNotification } from '../writes/notifications.ts';
import { deleteMyPreference, setMyPreference, updateMyProfile } from '../writes/profile.ts';
import { createServiceAccount, revokeServiceAccount, rotateServiceAccountKey } from '../writes/service-accounts.ts';
import { replayDeadWebhookDeliveries, replayWebhookDelivery } from '../webhooks/deliveries.ts';
import { deleteWebhookEndpoint, registerWebhookEndpoint, rotateWebhookSecret, updateWebhookEndpoint } from '../webhooks/endpoints.ts';

export const Mutation: MutationResolvers = {
  // Public (shield: allow): the caller is anonymous, so these take the request context.
  login: (_, args, ctx: IdentityContext) => ctx.sessions.login(args.username, args.password),
  refresh: (_, args, ctx: IdentityContext) => ctx.sessions.refresh(args.refreshToken),
  logout: (_, args, ctx: IdentityContext) => ctx.sessions.logout(args.refreshToken),
  setRolePermissions: (_, args, ctx) => setRolePermissions(ctx.db, ctx.redis, args.role, args.permissions),

  createUser: (_, args, ctx) => createUser(ctx, args.input),
  bulkCreateUsers: (_, args, ctx) => bulkCreateUsers(ctx, args),
  updateUser: (_, args, ctx) => updateUser(ctx, args.id, args.input),
  setUserStatus: (_, args, ctx) => setUserStatus(ctx, args.id, args.status, args.reason),
  deleteUser: (_, args, ctx) => deleteUser(ctx, args.id, args.reason),
  async transferResident(_, args, ctx) {
    const user = await transferResident(ctx, args.id, args.facilityId, args.reason);
    // A facility admin who sends someone elsewhere no longer sees them: the receipt says what changed all the same.
    const visible = await rowVisible(userAccess, ctx.identity, user, ctx.loaders.visibleUser);
    return { userId: user.id, facilityId: args.facilityId, user: visible ? user : null };
  },
  resetPassword: (_, args, ctx) => resetPassword(ctx, args.id, args.temporaryPassword),
  assignRole: (_, args, ctx) => assignRole(ctx, args.userId, args.role),
  revokeRole: (_, args, ctx) => revokeRole(ctx, args.userId, args.role),
  unlockUser: (_, args, ctx) => unlockUser(ctx, args.id),
  changePassword: (_, args, ctx) => changePassword(ctx, args.currentPassword, args.newPassword),
  revokeSession: (_, args, ctx) => endSession(ctx, args.sessionId),
  revokeAllSessions: (_, args, ctx) => endAllSessions(ctx, args.userId),

  updateMyProfile: (_, args, ctx) => updateMyProfile(ctx, args.input),
  setMyPreference: (_, args, ctx) => setMyPreference(ctx, args.key, args.value),
  deleteMyPreference: (_, args, ctx) => deleteMyPreference(ctx, args.key),
  sendNotification: (_, args, ctx) => sendNotification(ctx, args.userId, args.input),
  markNotificationRead: (_, args, ctx) => markNotificationRead(ctx, args.id),
  markAllNotificationsRead: (_, __, ctx) => markAllNotificationsRead(ctx),
  createTenant: (_, args, ctx) => createTenant(ctx, args.input),
  updateTenant: (_, args, ctx) => updateTenant(ctx, args.id, args.input),
  setFacilityFeatureFlag: (_, args, ctx) => setFacilityFlag(ctx, args),
  registerIntegration: (_, args, ctx) => registerIntegration(ctx, args.input),
  updateIntegration: (_, args, ctx) => updateIntegration(ctx, args.id, args.input),
  addMyExtension: (_, args, ctx) => addMyExtension(ctx, args.input),
  recordExtensionUse: (_, args, ctx) => recordExtensionUse(ctx, args.id, args.feedbackScore),
  setPracticalityFactor: (_, args, ctx) =>
    setPracticalityFactor(ctx, args.extensionId, { name: args.name, value: args.value, weight: args.weight }),
  subscribeUser: (_, args, ctx) => subscribeUser(ctx, args.userId, args.input),
  cancelSubscription: (_, args, ctx) => cancelSubscription(ctx, args.id, args.reason),
  registerWebhookEndpoint: (_, args, ctx) => registerWebhookEndpoint(ctx, args.input),
  updateWebhookEndpoint: (_, args, ctx) => updateWebhookEndpoint(ctx, args.id, args.input),
  rotateWebhookSecret: (_, args, ctx) => rotateWebhookSecret(ctx, args.id),
  deleteWebhookEndpoint: (_, args, ctx) => deleteWebhookEndpoint(ctx, args.id),
  replayWebhookDelivery: (_, args, ctx) => replayWebhookDelivery(ctx, args.id),
  replayDeadWebhookDeliveries: (_, args, ctx) => replayDeadWebhookDeliveries(ctx, args.endpointId),
  createServiceAccount: (_, args, ctx) => createServiceAccount(ctx, args.input),
  rotateServiceAccountKey: (_, args, ctx) => rotateServiceAccountKey(ctx, args.id, args.overlapSeconds),
  revokeServiceAccount: (_, args, ctx) => revokeServiceAccount(ctx, args.id),
};
