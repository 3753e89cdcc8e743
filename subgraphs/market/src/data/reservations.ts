import { uuidsOnly, type Identity, type PageQuery } from '@pathway/kit';
import type { Prisma, Reservation } from '../generated/prisma/client.ts';
import type { ReservationFilter, ReservationStatus } from '../generated/graphql.ts';
import { reservationAccess } from '../access.ts';

type Tx = Prisma.TransactionClient;
type Page = Pick<PageQuery, 'where' | 'orderBy'>;

const visible = (identity: Identity, where: Prisma.ReservationWhereInput): Prisma.ReservationWhereInput => ({
  AND: [reservationAccess.where(identity), where],
});

export function findReservationsByIds(tx: Tx, identity: Identity, ids: readonly string[]): Promise<Reservation[]> {
  return tx.reservation.findMany({ where: visible(identity, { id: { in: uuidsOnly(ids) } }) });
}

/** Which of `ids` the caller may see (the row rule's database fallback). */
export function visibleReservationIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.reservation.findMany({ where: visible(identity, { id: { in: uuidsOnly(ids) } }), select: { id: true } });
}

/** One keyset page of the reservations the caller may see, newest first. */
export function listReservations(tx: Tx, identity: Identity, filter: ReservationFilter, page: PageQuery): Promise<Reservation[]> {
  const where: Prisma.ReservationWhereInput = {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.propertyId ? { propertyId: filter.propertyId } : {}),
    ...(filter.userId ? { userId: filter.userId } : {}),
  };
  return tx.reservation.findMany({ where: visible(identity, { AND: [where, page.where] }), orderBy: page.orderBy, take: page.take });
}

/** Reservations of many people or listings (by `field`), newest first, as far as the caller may see them. */
export function reservationsBy(field: 'userId' | 'propertyId') {
  return (tx: Tx, identity: Identity, keys: readonly string[], status: ReservationStatus | null, page: Page): Promise<Reservation[]> =>
    tx.reservation.findMany({
      where: visible(identity, { AND: [{ [field]: { in: uuidsOnly(keys) } }, status ? { status } : {}, page.where] }),
      orderBy: page.orderBy,
    });
}
