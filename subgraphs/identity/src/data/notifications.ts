import type { PageQuery } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

export function listNotifications(tx: Tx, userId: string, unreadOnly: boolean, page: PageQuery) {
  return tx.notification.findMany({
    where: { AND: [{ userId }, unreadOnly ? { readAt: null } : {}, page.where as Prisma.NotificationWhereInput] },
    orderBy: page.orderBy as Prisma.NotificationOrderByWithRelationInput[],
    take: page.take,
  });
}

export const countUnread = (tx: Tx, userId: string) => tx.notification.count({ where: { userId, readAt: null } });

/** Marks one of the person's own notifications read (idempotent); null when it is not theirs. */
export async function markRead(tx: Tx, userId: string, id: string) {
  const found = await tx.notification.findFirst({ where: { id, userId } });
  if (!found) return null;
  return found.readAt ? found : tx.notification.update({ where: { id }, data: { readAt: new Date() } });
}

export async function markAllRead(tx: Tx, userId: string) {
  const { count } = await tx.notification.updateMany({ where: { userId, readAt: null }, data: { readAt: new Date() } });
  return count;
}

export function createNotification(tx: Tx, data: Prisma.NotificationUncheckedCreateInput) {
  return tx.notification.create({ data });
}
