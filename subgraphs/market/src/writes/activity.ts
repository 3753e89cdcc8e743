import type { Identity } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

export type ActivityType =
  | 'property.created'
  | 'property.updated'
  | 'property.verified'
  | 'property.unlisted'
  | 'property.relisted'
  | 'property.archived'
  | 'property.media_set'
  | 'reservation.requested'
  | 'reservation.confirmed'
  | 'reservation.declined'
  | 'reservation.cancelled'
  | 'reservation.expired'
  | 'transaction.started'
  | 'transaction.completed'
  | 'transaction.failed'
  | 'asset.listed'
  | 'asset.repriced'
  | 'asset.unlisted'
  | 'space.created'
  | 'space.updated'
  | 'space.asset_placed'
  | 'space.asset_moved'
  | 'space.asset_removed'
  | 'resource.created'
  | 'resource.updated'
  | 'tag.created'
  | 'item.tagged'
  | 'item.untagged'
  | 'property.tagged'
  | 'property.untagged'
  | 'model.created'
  | 'model.updated'
  | 'model.archived'
  | 'project.created'
  | 'project.updated'
  | 'project.status_changed'
  | 'project.archived'
  | 'recommendation.feedback';

/** Who the expiry job (and any other work of the service itself) is in the activity log. */
export const SERVICE_ACTOR = { userId: '00000000-0000-0000-0000-000000000000' } as const;

export interface ActivityLine {
  actor: Pick<Identity, 'userId'>;
  entity: { id: string; tenantId: string };
  entityType:
    'property' | 'reservation' | 'transaction' | 'asset' | 'space' | 'resource' | 'tag' | 'business_model' | 'project' | 'recommendation';
  activityType: ActivityType;
  reason?: string | null;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
}

/** Writes activity log lines (who, what, when, before → after); call it inside the transaction that makes the change. */
export async function logActivity(tx: Tx, lines: ActivityLine[]): Promise<void> {
  if (lines.length === 0) return;
  await tx.activityLog.createMany({
    data: lines.map((line) => ({
      tenantId: line.entity.tenantId,
      actorId: line.actor.userId,
      activityType: line.activityType,
      entityType: line.entityType,
      entityId: line.entity.id,
      reason: line.reason?.trim() || null,
      before: line.before ?? undefined,
      after: line.after ?? undefined,
    })),
  });
}

/** Only the keys whose values differ (JSON-compared), as before → after. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>) {
  const keys = Object.keys(after).filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
  return {
    before: Object.fromEntries(keys.map((k) => [k, before[k] ?? null])) as Prisma.InputJsonObject,
    after: Object.fromEntries(keys.map((k) => [k, after[k] ?? null])) as Prisma.InputJsonObject,
    keys,
  };
}
