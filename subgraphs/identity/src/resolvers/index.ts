import { CountScalar, DateTimeScalar, JSONScalar, UUIDScalar, freshReadsAfterWrites } from '@pathway/kit';
import type { Resolvers } from '../generated/graphql.ts';
import { AccountHistoryEntry } from './AccountHistoryEntry.ts';
import { Extension } from './Extension.ts';
import { Integration } from './Integration.ts';
import { Mutation } from './Mutation.ts';
import { Notification } from './Notification.ts';
import { Profile } from './Profile.ts';
import { Query } from './Query.ts';
import { ServiceAccount, ServiceAccountChange, ServiceAccountKey } from './ServiceAccount.ts';
import { Tenant } from './Tenant.ts';
import { User } from './User.ts';
import { WebhookChange, WebhookEndpoint } from './WebhookEndpoint.ts';

export const resolvers: Resolvers = {
  UUID: UUIDScalar,
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  Count: CountScalar,
  Query,
  Mutation: freshReadsAfterWrites(Mutation),
  User,
  Tenant,
  AccountHistoryEntry,
  Notification,
  Profile,
  Integration,
  Extension,
  WebhookEndpoint,
  WebhookChange,
  ServiceAccount,
  ServiceAccountKey,
  ServiceAccountChange,
};
