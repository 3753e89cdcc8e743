import type { NotificationResolvers } from '../generated/graphql.ts';

export const Notification: NotificationResolvers = {
  read: (row) => row.readAt !== null,
};
