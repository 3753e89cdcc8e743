import { uuidsOnly, type Identity, type PageQuery } from '@pathway/kit';
import type { CatalogChange, Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;
type Page = Pick<PageQuery, 'where' | 'orderBy'>;

/** The change log of facilities, programs and rooms (`catalog_changes`): one line per change, in its transaction. */
export type CatalogEntity = 'facility' | 'program' | 'room';

export interface CatalogLine {
  actor: Identity | { userId: string };
  tenantId: string;
  entityType: CatalogEntity;
  entityId: string;
  action: string;
  reason?: string | null;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
}

export async function logCatalogChange(tx: Tx, line: CatalogLine): Promise<void> {
  await tx.catalogChange.create({
    data: {
      tenantId: line.tenantId,
      entityType: line.entityType,
      entityId: line.entityId,
      actorId: line.actor.userId,
      action: line.action,
      reason: line.reason ?? null,
      before: line.before ?? undefined,
      after: line.after ?? undefined,
    },
  });
}

/** Only the fields that differ, as `{ before, after }` (a change log line keeps what changed). */
export function changedFields<T extends Record<string, unknown>>(before: T, after: T) {
  const keys = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return {
    before: Object.fromEntries(keys.map((k) => [k, before[k] ?? null])) as Prisma.InputJsonValue,
    after: Object.fromEntries(keys.map((k) => [k, after[k] ?? null])) as Prisma.InputJsonValue,
    changed: keys.length > 0,
  };
}

/** Lines of the given entities, newest first (the caller's rule decided the entity is visible). */
export const changesOfEntities = (tx: Tx, ids: readonly string[], page: Page): Promise<CatalogChange[]> =>
  tx.catalogChange.findMany({ where: { AND: [{ entityId: { in: uuidsOnly(ids) } }, page.where] }, orderBy: page.orderBy });
