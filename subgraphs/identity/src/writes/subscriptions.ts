import { z } from 'zod';
import { badInput, conflict, notFound, parseInput, rethrowDuplicate } from '@pathway/kit';
import { subscriptionAccess } from '../access.ts';
import type { ResolverContext } from '../context.ts';
import { recordHistory } from '../data/history.ts';
import { lockManageable } from './guards.ts';

const subscribeSchema = z.object({
  plan: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
  status: z.enum(['active', 'trial']).default('active'),
  endsAt: z.date().nullish(),
});

/** An administrator puts a person in reach on a plan; one live subscription per plan (CONFLICT otherwise). */
export async function subscribeUser(ctx: ResolverContext, userId: string, raw: unknown) {
  const input = parseInput(subscribeSchema, raw);
  if (input.endsAt && input.endsAt <= new Date()) throw badInput('The end must lie in the future.', { endsAt: 'in the past' });
  const identity = ctx.identity;
  return ctx.db
    .run(async (tx) => {
      const user = await lockManageable(tx, identity, userId);
      const row = await tx.userSubscription.create({
        data: { tenantId: user.tenantId, userId: user.id, plan: input.plan, status: input.status, endsAt: input.endsAt ?? null },
      });
      await recordHistory(tx, {
        tenantId: user.tenantId,
        userId: user.id,
        actorId: identity.userId,
        action: 'plan_subscribed',
        after: { subscriptionId: row.id, plan: row.plan, status: row.status, endsAt: row.endsAt },
      });
      return row;
    })
    .catch(rethrowDuplicate(`The person already has a live ${input.plan} subscription.`, { plan: 'already subscribed' }));
}

export async function cancelSubscription(ctx: ResolverContext, id: string, reason: string) {
  if (!reason.trim()) throw badInput('Say why the subscription ends.', { reason: 'required' });
  const identity = ctx.identity;
  return ctx.db.run(async (tx) => {
    const found = await tx.userSubscription.findFirst({ where: { AND: [{ id }, subscriptionAccess.where(identity)] } });
    if (!found) throw notFound('Subscription');
    await lockManageable(tx, identity, found.userId);
    if (found.status === 'cancelled' || found.status === 'expired')
      throw conflict(`The subscription is already ${found.status}.`, { reason: 'ALREADY_IN_STATE' });
    const row = await tx.userSubscription.update({ where: { id }, data: { status: 'cancelled', endsAt: new Date() } });
    await recordHistory(tx, {
      tenantId: row.tenantId,
      userId: row.userId,
      actorId: identity.userId,
      action: 'plan_cancelled',
      before: { subscriptionId: id, status: found.status },
      after: { subscriptionId: id, status: 'cancelled' },
      reason: reason.trim(),
    });
    return row;
  });
}
