import { z } from 'zod';
import { notFound, type PageArgs, pageQuery, parseInput, toConnection } from '@pathway/kit';
import { notificationAccess, userAccess } from '../access.ts';
import type { ResolverContext } from '../context.ts';
import { countUnread, createNotification, listNotifications, markAllRead, markRead } from '../data/notifications.ts';
import { publishNotificationAdded } from '../events.ts';

const notificationSchema = z.object({
  type: z.string().trim().min(1, 'required').max(50, 'at most 50 characters'),
  title: z.string().trim().min(1, 'required').max(255, 'at most 255 characters'),
  message: z.string().trim().min(1, 'required').max(5000, 'at most 5000 characters'),
  relatedEntityType: z.string().max(50).nullish(),
  relatedEntityId: z.string().max(255).nullish(),
});

/** The caller's own inbox, newest first. */
export async function myNotifications(ctx: ResolverContext, args: PageArgs & { unreadOnly?: boolean | null }) {
  const query = pageQuery(args, 'createdAt', 'desc');
  const rows = await ctx.db.run((tx) => listNotifications(tx, notificationAccess.where(ctx.identity), !!args.unreadOnly, query));
  return toConnection(rows, query, 'createdAt');
}

export const unreadCount = (ctx: ResolverContext) => ctx.db.run((tx) => countUnread(tx, notificationAccess.where(ctx.identity)));

export async function markNotificationRead(ctx: ResolverContext, id: string) {
  const row = await ctx.db.run((tx) => markRead(tx, notificationAccess.where(ctx.identity), id));
  if (!row) throw notFound('Notification');
  return row;
}

export const markAllNotificationsRead = (ctx: ResolverContext) =>
  ctx.db.run((tx) => markAllRead(tx, notificationAccess.where(ctx.identity)));

/** Staff and administrators notify a person within their reach; `notificationAdded` goes out through the outbox, after the commit. */
export async function sendNotification(ctx: ResolverContext, userId: string, raw: unknown) {
  const input = parseInput(notificationSchema, raw);
  const identity = ctx.identity;
  const row = await ctx.db.run(async (tx) => {
    const target = await tx.user.findFirst({ where: { AND: [{ id: userId }, userAccess.where(identity)] } });
    if (!target) throw notFound('User');
    const created = await createNotification(tx, { ...input, tenantId: target.tenantId, userId: target.id });
    await publishNotificationAdded(ctx.events.within(tx), created, target.homeFacilityId);
    return created;
  });
  return row;
}
