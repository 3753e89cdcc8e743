import type { Notification as NotificationRow } from '../generated/prisma/client.ts';

export const Notification = {
  read: (row: NotificationRow) => row.readAt !== null,
};
