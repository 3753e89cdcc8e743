import DataLoader from 'dataloader';
import { byIdLoader, callerReads, groupLoader, pagedGroupLoader, primeVisible, type Identity, type ScopedDb } from '@pathway/kit';
import type { CatalogChange, Prisma, Room, WaitlistStatus } from './generated/prisma/client.ts';
import { changesOfEntities } from './data/catalog-changes.ts';
import { engagementOf, eventsOfFacilities, recordedAt, trendsOf } from './data/dashboard.ts';
import { programCounts, NO_COUNTS } from './data/program-stats.ts';
import { eventsInRooms, findClosuresByIds, findRoomsByIds, roomsOfFacilities } from './data/rooms.ts';
import { findWaitlistByIds, positionsOf, waitingCounts, waitlistOfClasses, waitlistOfUsers, type WaitlistRow } from './data/waitlist.ts';

type Tx = Prisma.TransactionClient;

/**
 * The loaders of issue 14's entities (rooms, waitlist places, closures, catalog change logs, program
 * stats, dashboards): each lookup by id or key is one query per request batch, read as the caller.
 */
export function createManagementLoaders(db: ScopedDb<Tx>, identity: Identity | null) {
  const { as, confirm } = callerReads(db, identity);
  const visible = {
    room: confirm(findRoomsByIds),
    waitlistEntry: confirm(findWaitlistByIds),
    facilityClosure: confirm(findClosuresByIds),
  };
  const seen =
    (confirmLoader: DataLoader<string, boolean>) =>
    <R extends { id: string }>(rows: R[]): R[] =>
      primeVisible(confirmLoader, rows);
  /** Count loaders keyed by id, where a missing key is zero. */
  const counts = <V>(read: (tx: Tx, who: Identity, ids: readonly string[]) => Promise<Map<string, V>>, none: V) =>
    new DataLoader<string, V>((ids) =>
      as(new Map<string, V>(), (tx, who) => read(tx, who, ids)).then((m) => ids.map((id) => m.get(id) ?? none)),
    );

  return {
    visible,
    room: byIdLoader((ids) => as([], (tx, who) => findRoomsByIds(tx, who, ids)).then(seen(visible.room))),
    roomsOfFacility: pagedGroupLoader<Room, boolean>({
      sortField: 'name',
      direction: 'asc',
      fetch: (keys, includeArchived, page) =>
        as([], (tx, who) => roomsOfFacilities(tx, who, keys, includeArchived, page)).then(seen(visible.room)),
      keyOf: (row) => row.facilityId,
    }),
    /** Events booked (series or one occurrence) into a room, of classes the caller may see. */
    eventsInRoom: new DataLoader<string, Awaited<ReturnType<typeof eventsInRooms>>>((ids) =>
      as([] as Awaited<ReturnType<typeof eventsInRooms>>, (tx, who) => eventsInRooms(tx, who, ids)).then((events) => ids.map(() => events)),
    ),
    closure: byIdLoader((ids) => as([], (tx, who) => findClosuresByIds(tx, who, ids)).then(seen(visible.facilityClosure))),
    waitlistEntry: byIdLoader((ids) => as([], (tx, who) => findWaitlistByIds(tx, who, ids)).then(seen(visible.waitlistEntry))),
    waitlistOfClass: pagedGroupLoader<WaitlistRow, WaitlistStatus | null>({
      sortField: 'seq',
      direction: 'asc',
      fetch: (keys, status, page) => as([], (tx, who) => waitlistOfClasses(tx, who, keys, status, page)).then(seen(visible.waitlistEntry)),
      keyOf: (row) => row.classId,
    }),
    waitlistOfUser: pagedGroupLoader<WaitlistRow, null>({
      sortField: 'seq',
      direction: 'desc',
      fetch: (keys, _f, page) => as([], (tx, who) => waitlistOfUsers(tx, who, keys, page)).then(seen(visible.waitlistEntry)),
      keyOf: (row) => row.userId,
    }),
    /** Position of a Waiting place (entries the caller already holds). */
    position: counts((tx, _who, ids) => positionsOf(tx, ids), null as number | null),
    waitingCount: counts((tx, _who, ids) => waitingCounts(tx, ids), 0),
    /** The change log of facilities, programs and rooms (the entity's own field rule decided who reads it). */
    catalogChanges: pagedGroupLoader<CatalogChange, null>({
      sortField: 'createdAt',
      direction: 'desc',
      fetch: (keys, _f, page) => as([], (tx) => changesOfEntities(tx, keys, page)),
      keyOf: (row) => row.entityId,
    }),
    programCounts: counts((tx, who, ids) => programCounts(tx, who, ids), NO_COUNTS),
    // Dashboards: one loader per kind, keyed by facility, so N facilities cost what one does.
    dashboardEvents: groupLoader(
      (ids) => as([], (tx, who) => eventsOfFacilities(tx, who, ids)),
      (e) => e.facilityId,
    ),
    /** Keys `facilityId|from|to` (local dates); one query spanning every key's range. */
    recordedAt: new DataLoader<string, Set<string>>((keys) => {
      const parts = keys.map((k) => k.split('|') as [string, string, string]);
      const from = parts.map((p) => p[1]).sort()[0]!;
      const to = parts
        .map((p) => p[2])
        .sort()
        .at(-1)!;
      return as(new Set<string>(), (tx) => recordedAt(tx, [...new Set(parts.map((p) => p[0]))], from, to)).then((set) =>
        keys.map(() => set),
      );
    }),
    /** Keys `facilityId|since` (ISO instant); one query from the earliest. */
    trends: new DataLoader<string, Awaited<ReturnType<typeof trendsOf>>>((keys) => {
      const parts = keys.map((k) => k.split('|') as [string, string]);
      const since = new Date(parts.map((p) => p[1]).sort()[0]!);
      return as([] as Awaited<ReturnType<typeof trendsOf>>, (tx) => trendsOf(tx, [...new Set(parts.map((p) => p[0]))], since)).then(
        (rows) => parts.map(([facilityId]) => rows.filter((r) => r.facilityId === facilityId)),
      );
    }),
    engagement: groupLoader(
      (ids) => as([], (tx, who) => engagementOf(tx, who, ids)),
      (row) => row.facilityId,
    ),
  };
}

export type ManagementLoaders = ReturnType<typeof createManagementLoaders>;
