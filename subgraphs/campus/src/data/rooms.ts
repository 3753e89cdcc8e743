import { uuidsOnly, type Identity, type PageQuery } from '@pathway/kit';
import * as access from '../access.ts';
import type { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;
type Page = Pick<PageQuery, 'where' | 'orderBy'>;

export const findRoomsByIds = (tx: Tx, identity: Identity, ids: readonly string[]) =>
  tx.room.findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, access.room.where(identity)] } });

export const roomsOfFacilities = (tx: Tx, identity: Identity, keys: readonly string[], includeArchived: boolean, page: Page) =>
  tx.room.findMany({
    where: {
      AND: [{ facilityId: { in: uuidsOnly(keys) } }, access.room.where(identity), page.where, includeArchived ? {} : { archivedAt: null }],
    },
    orderBy: page.orderBy,
  });

/** Events whose series or one of whose occurrences is booked into one of `roomIds`, of classes the caller may see. */
export const eventsInRooms = (tx: Tx, identity: Identity, roomIds: readonly string[]) =>
  tx.classEvent.findMany({
    where: {
      AND: [
        { OR: [{ roomId: { in: uuidsOnly(roomIds) } }, { overrides: { some: { roomId: { in: uuidsOnly(roomIds) } } } }] },
        access.classEvent.where(identity),
      ],
    },
  });

export const findClosuresByIds = (tx: Tx, identity: Identity, ids: readonly string[]) =>
  tx.facilityClosure.findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, access.facilityClosure.where(identity)] } });

/** Closures in force of the facilities between two local dates. */
export const closuresOfFacilities = (tx: Tx, identity: Identity, facilityIds: readonly string[], from: string, to: string) =>
  tx.facilityClosure.findMany({
    where: {
      AND: [
        {
          facilityId: { in: uuidsOnly(facilityIds) },
          liftedAt: null,
          date: { gte: new Date(`${from}T00:00:00Z`), lte: new Date(`${to}T00:00:00Z`) },
        },
        access.facilityClosure.where(identity),
      ],
    },
    orderBy: { date: 'asc' },
  });
