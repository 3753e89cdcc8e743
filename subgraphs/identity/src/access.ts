import { anyOf, defineAccess, reachFilter, reachOf, tenantFilter, type Identity } from '@pathway/kit';
import type { Filter } from 'mongodb';
import type { Prisma } from './generated/prisma/client.ts';
import type { ProfileDoc } from './data/profiles.ts';

/**
 * Who may see identity's rows: one filter per entity (DOMAIN.md → Tenancy and scope). Loaders and
 * lists AND it into their queries, so a row outside it is indistinguishable from one that does not
 * exist; shield row rules decide on loaded rows from the same filter (`visibleRow`). Field rules
 * that ask for more (contact details, security fields) are permissions on top, in permissions.ts.
 */

/**
 * A person (not deleted): yourself, or anyone whose home facility is inside your reach — every
 * tenant for system reach, your tenant for department admins, your facility for everyone else.
 */
export const userAccess = defineAccess<Prisma.UserWhereInput>('user', (identity) => ({
  AND: [{ deletedAt: null }, anyOf<Prisma.UserWhereInput>([{ id: identity.userId }, reachFilter(identity, 'homeFacilityId')])],
}));

/** Rows that belong to one person (sessions, history, profile parts, plans): visible with that person. */
const ofVisiblePerson = (identity: Identity) => ({ user: userAccess.where(identity) });

export const sessionAccess = defineAccess<Prisma.RefreshTokenWhereInput>('session', ofVisiblePerson);
export const userRoleAccess = defineAccess<Prisma.UserRoleWhereInput>('userRole', ofVisiblePerson);
export const accountHistoryAccess = defineAccess<Prisma.AccountHistoryWhereInput>('accountHistory', ofVisiblePerson);
export const preferenceAccess = defineAccess<Prisma.UserPreferenceWhereInput>('preference', ofVisiblePerson);
export const extensionAccess = defineAccess<Prisma.UserExtensionWhereInput>('extension', ofVisiblePerson);
export const subscriptionAccess = defineAccess<Prisma.UserSubscriptionWhereInput>('subscription', ofVisiblePerson);
export const practicalityFactorAccess = defineAccess<Prisma.PracticalityFactorWhereInput>('practicalityFactor', (identity) => ({
  extension: extensionAccess.where(identity),
}));

/**
 * Profiles (MongoDB, which has no Row-Level Security): the tenant boundary is filtered here; whose
 * profile within it is the person's visibility (`userAccess`), which the profile loader confirms.
 */
export const profileAccess = defineAccess<Filter<ProfileDoc>>('profile', (identity) => tenantFilter(identity));

/** Notifications: only ever your own inbox. */
export const notificationAccess = defineAccess<Prisma.NotificationWhereInput>('notification', (identity) => ({
  userId: identity.userId,
}));

/** Tenants: every one for system reach, otherwise your own. */
export const tenantAccess = defineAccess<Prisma.TenantWhereInput>('tenant', (identity) =>
  reachOf(identity) === 'system' ? {} : { id: identity.tenantId },
);

/** A facility's feature switches: your tenant's facilities (system reach: all); facility reach: your own facility. */
export const facilityFeaturesAccess = defineAccess<Prisma.FacilityFeaturesWhereInput>('facilityFeatures', (identity) =>
  reachFilter(identity),
);

/** The integrations registry: your tenant's (system reach: every tenant's), whatever your facility. */
export const integrationAccess = defineAccess<Prisma.IntegrationWhereInput>('integration', (identity) => tenantFilter(identity));

/** Webhook endpoints: your tenant's (system reach: all; facility reach: your facility's). */
export const webhookEndpointAccess = defineAccess<Prisma.WebhookEndpointWhereInput>('webhookEndpoint', (identity) => reachFilter(identity));

/** Deliveries: those of an endpoint you may see. */
export const webhookDeliveryAccess = defineAccess<Prisma.WebhookDeliveryWhereInput>('webhookDelivery', (identity) => ({
  endpoint: webhookEndpointAccess.where(identity),
}));

/**
 * An endpoint's change log outlives the endpoint (no relation to filter through): its rows carry
 * the tenant, and are read only through an endpoint already found under `webhookEndpointAccess`.
 */
export const webhookChangeAccess = defineAccess<Prisma.WebhookChangeWhereInput>('webhookChange', (identity) => tenantFilter(identity));

/** Service accounts: your tenant's (system reach: all; facility reach: your facility's). */
export const serviceAccountAccess = defineAccess<Prisma.ServiceAccountWhereInput>('serviceAccount', (identity) => reachFilter(identity));

/** A service account's change log: read only through an account found under `serviceAccountAccess`. */
export const serviceAccountChangeAccess = defineAccess<Prisma.ServiceAccountChangeWhereInput>('serviceAccountChange', (identity) =>
  tenantFilter(identity),
);
