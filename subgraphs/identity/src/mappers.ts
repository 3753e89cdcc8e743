/**
 * What each GraphQL type's resolvers receive as their parent, where it is not the generated GraphQL
 * type itself (codegen.ts reads every `export type <GraphQLType>Mapper` here).
 */
import type { Connection } from '@pathway/kit';
import type {
  AccountHistory,
  Integration,
  Notification,
  PracticalityFactor,
  ServiceAccount,
  ServiceAccountChange,
  ServiceAccountKey,
  Tenant,
  User,
  UserExtension,
  UserPreference,
  UserSubscription,
  WebhookChange,
  WebhookDelivery,
  WebhookEndpoint,
} from './generated/prisma/client.ts';
import type { ProfileDoc } from './data/profiles.ts';
import type { SessionRow } from './data/sessions.ts';

export type UserMapper = User;
export type UserConnectionMapper = Connection<User>;
export type TenantMapper = Tenant;
export type TenantConnectionMapper = Connection<Tenant>;
export type AccountHistoryEntryMapper = AccountHistory;
export type AccountHistoryConnectionMapper = Connection<AccountHistory>;
export type SessionMapper = SessionRow;
/** The Mongo document, with its `_id` also as `id`. */
export type ProfileMapper = ProfileDoc & { id: string };
export type PreferenceMapper = UserPreference;
export type NotificationMapper = Notification;
export type NotificationConnectionMapper = Connection<Notification>;
export type ExtensionMapper = UserExtension;
export type PracticalityFactorMapper = PracticalityFactor;
export type PlanSubscriptionMapper = UserSubscription;
export type IntegrationMapper = Integration;
export type IntegrationConnectionMapper = Connection<Integration>;
export type WebhookEndpointMapper = WebhookEndpoint;
export type WebhookEndpointConnectionMapper = Connection<WebhookEndpoint>;
export type WebhookDeliveryMapper = WebhookDelivery;
export type WebhookDeliveryConnectionMapper = Connection<WebhookDelivery>;
export type WebhookChangeMapper = WebhookChange;
export type WebhookChangeConnectionMapper = Connection<WebhookChange>;
export type ServiceAccountMapper = ServiceAccount;
export type ServiceAccountConnectionMapper = Connection<ServiceAccount>;
export type ServiceAccountKeyMapper = ServiceAccountKey;
export type ServiceAccountChangeMapper = ServiceAccountChange;
export type ServiceAccountChangeConnectionMapper = Connection<ServiceAccountChange>;
export type ServiceAccountKeyIssuedMapper = { serviceAccount: ServiceAccount; key: ServiceAccountKey; apiKey: string };
