import { uuidsOnly, type Identity, type PageQuery } from '@pathway/kit';
import * as access from '../access.ts';
import type { Prisma, WaitlistEntry, WaitlistStatus } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;
type Page = Pick<PageQuery, 'where' | 'orderBy'>;

/** A waitlist row with its arrival order as a number (cursors carry it; BigInt does not serialise). */
export type WaitlistRow = Omit<WaitlistEntry, 'seq'> & { seq: number };
export const toRow = (e: WaitlistEntry): WaitlistRow => ({ ...e, seq: Number(e.seq) });

export const findWaitlistByIds = (tx: Tx, identity: Identity, ids: readonly string[]) =>
  tx.waitlistEntry
    .findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, access.waitlistEntry.where(identity)] } })
    .then((rows) => rows.map(toRow));

/** Open places (Waiting and Offered) unless a status is asked for. */
export const OPEN: WaitlistStatus[] = ['Waiting', 'Offered'];

function waitlistBy(field: 'classId' | 'userId') {
  return (tx: Tx, identity: Identity, keys: readonly string[], status: WaitlistStatus | null, page: Page) =>
    tx.waitlistEntry
      .findMany({
        where: {
          AND: [
            { [field]: { in: uuidsOnly(keys) } },
            access.waitlistEntry.where(identity),
            page.where,
            { status: status ? status : { in: OPEN } },
          ],
        },
        orderBy: page.orderBy,
      })
      .then((rows) => rows.map(toRow));
}
export const waitlistOfClasses = waitlistBy('classId');
/** A person's places: every status (their history too). */
export const waitlistOfUsers = (tx: Tx, identity: Identity, keys: readonly string[], page: Page) =>
  tx.waitlistEntry
    .findMany({
      where: { AND: [{ userId: { in: uuidsOnly(keys) } }, access.waitlistEntry.where(identity), page.where] },
      orderBy: page.orderBy,
    })
    .then((rows) => rows.map(toRow));

/** Position (1 = next) of each Waiting entry of `ids`, from one window query over their classes. */
export async function positionsOf(tx: Tx, ids: readonly string[]): Promise<Map<string, number>> {
  const rows = await tx.$queryRaw<{ id: string; position: bigint }[]>`
    SELECT id, row_number() OVER (PARTITION BY class_id ORDER BY seq) AS position FROM class_waitlist
    WHERE status = 'Waiting' AND class_id IN (SELECT class_id FROM class_waitlist WHERE id = ANY(${uuidsOnly(ids)}::uuid[]))`;
  return new Map(rows.map((r) => [r.id, Number(r.position)]));
}

/** People waiting per class. */
export async function waitingCounts(tx: Tx, classIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await tx.waitlistEntry.groupBy({
    by: ['classId'],
    where: { classId: { in: uuidsOnly(classIds) }, status: 'Waiting' },
    _count: { _all: true },
  });
  return new Map(rows.map((r) => [r.classId, r._count._all]));
}
