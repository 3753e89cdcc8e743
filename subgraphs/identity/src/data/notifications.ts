import type { PageQuery } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

/** `visible` throughout: the caller's access filter (access.ts), i.e. their own inbox. */
export function listNotifications(tx: Tx, visible: Prisma.NotificationWhereInput, unreadOnly: boolean, page: PageQuery) {
  return tx.notification.findMany({
    where: { AND: [visible, unreadOnly ? { readAt: null } : {}, page.where] },
    orderBy: page.orderBy,
    take: page.take,
  });
}

export const countUnread = (tx: Tx, visible: Prisma.NotificationWhereInput) =>
  tx.notification.count({ where: { AND: [visible, { readAt: null }] } });

/** Marks one of the person's own notifications read (idempotent); null when it is not theirs. */
export async function markRead(tx: Tx, visible: Prisma.NotificationWhereInput, id: string) {
  const found = await tx.notification.findFirst({ where: { AND: [{ id }, visible] } });
  if (!found) return null;
  return found.readAt ? found : tx.notification.update({ where: { id }, data: { readAt: new Date() } });
}

export async function markAllRead(tx: Tx, visible: Prisma.NotificationWhereInput) {
  const { count } = await tx.notification.updateMany({ where: { AND: [visible, { readAt: null }] }, data: { readAt: new Date() } });
  return count;
}

export function createNotification(tx: Tx, data: Prisma.NotificationUncheckedCreateInput) {
  return tx.notification.create({ data });
}
