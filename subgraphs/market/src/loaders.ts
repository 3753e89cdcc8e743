import {
  byIdLoader,
  callerReads,
  groupLoader,
  pagedGroupLoader,
  pageQuery,
  perPage,
  primeVisible,
  toConnection,
  type Connection,
  type Identity,
  type PageArgs,
  type ScopedDb,
} from '@pathway/kit';
import DataLoader from 'dataloader';
import type { ActivityLog, Prisma, Reservation, ReservationStatus, Transaction } from './generated/prisma/client.ts';
import { findTransactionsByIds, transactionsBy, visibleTransactionIds } from './data/transactions.ts';
import { findReservationsByIds, reservationsBy, visibleReservationIds } from './data/reservations.ts';
import { activityOf } from './data/activity.ts';
import { mediaOfProperties } from './data/media.ts';
import { assetsOfOwners, findAssetsByIds, type MongoDb } from './data/assets.ts';
import { findSpacesByIds } from './data/spaces.ts';
import { findCityResourcesByIds } from './data/city-resources.ts';
import { findModelsByIds } from './data/business-models.ts';
import { findProjectsByIds } from './data/projects.ts';
import { tagsOfItems } from './data/tags.ts';
import type { TaggedItemType } from './generated/prisma/client.ts';
import { findPropertiesByIds, propertiesOfOwners, visiblePropertyIds } from './data/properties.ts';

type Tx = Prisma.TransactionClient;

/**
 * Per-request batching: every lookup by id, and every per-person list of a User field, becomes one
 * query per kind. Every loader reads through the entity's access filter (access.ts); property reads
 * prime `propertyVisible` (the row rule's database fallback) with what they read. Nobody signed in
 * sees nothing (the data functions need an identity to scope by).
 */
export function createLoaders(db: ScopedDb<Tx>, mongo: MongoDb, identity: Identity | null, readCaseload: () => Promise<void>) {
  const { as, confirm } = callerReads(db, identity);
  // Assets live in Mongo, outside the scoped transaction: read as the caller, nothing for nobody.
  const asCaller = <T>(fetch: (who: Identity) => Promise<T[]>) => (identity ? fetch(identity) : Promise.resolve([]));

  const propertyVisible = confirm(visiblePropertyIds);
  const reservationVisible = confirm(visibleReservationIds);
  const reservationPages = (field: 'userId' | 'propertyId') =>
    pagedGroupLoader<Reservation, ReservationStatus | null>({
      sortField: 'createdAt',
      direction: 'desc',
      fetch: async (keys, status, page) => {
        await readCaseload();
        return primeVisible(reservationVisible, await as([], (tx, who) => reservationsBy(field)(tx, who, keys, status, page)));
      },
      keyOf: (row) => row[field],
    });
  const activityPages = (entityType: 'property' | 'reservation') =>
    pagedGroupLoader<ActivityLog, null>({
      sortField: 'createdAt',
      direction: 'desc',
      fetch: (keys, _filter, page) => as([], (tx) => activityOf(tx, entityType, keys, page)),
      keyOf: (row) => row.entityId,
    });
  const transactionVisible = confirm(visibleTransactionIds);
  const transactionPages = (field: 'propertyId' | 'assetId') =>
    pagedGroupLoader<Transaction, null>({
      sortField: 'createdAt',
      direction: 'desc',
      fetch: async (keys, _filter, page) =>
        primeVisible(transactionVisible, await as([], (tx, who) => transactionsBy(field)(tx, who, keys, page))),
      keyOf: (row) => row[field]!,
    });
  const tagsOf = (type: TaggedItemType) =>
    groupLoader(
      (ids) => as([], (tx) => tagsOfItems(tx, type, ids)),
      (row) => row.entityId,
    );
  return {
    /** An item's tags by slug (the item's own row rule decided who reads it). */
    tagsOf: {
      property: tagsOf('property'),
      asset: tagsOf('asset'),
      space: tagsOf('space'),
      business_model: tagsOf('business_model'),
      project: tagsOf('project'),
    } satisfies Record<TaggedItemType, unknown>,
    businessModel: byIdLoader((ids) => asCaller((who) => findModelsByIds(mongo, who, ids))),
    project: byIdLoader((ids) => asCaller((who) => findProjectsByIds(mongo, who, ids))),
    propertyVisible,
    reservationVisible,
    transactionVisible,
    transaction: byIdLoader(async (ids) =>
      primeVisible(transactionVisible, await as([], (tx, who) => findTransactionsByIds(tx, who, ids))),
    ),
    transactionsOfProperty: transactionPages('propertyId'),
    transactionsOfAsset: transactionPages('assetId'),
    /**
     * A person's transactions as seller or buyer, newest first: one query per distinct page for
     * many people (a row belongs to both its parties, so it is grouped here, not by one key).
     */
    transactionsOfUser: new DataLoader<{ key: string; page: PageArgs }, Connection<Transaction>, string>(
      async (requests) => {
        const byPage = new Map<string, { key: string; page: PageArgs }[]>();
        for (const r of requests) byPage.set(r.page.after ?? '', [...(byPage.get(r.page.after ?? '') ?? []), r]);
        const answers = new Map<string, Connection<Transaction> | Error>();
        for (const group of byPage.values()) {
          try {
            const query = pageQuery(group[0]!.page, 'createdAt', 'desc');
            const rows = primeVisible(
              transactionVisible,
              await as([], (tx, who) =>
                transactionsBy('party')(
                  tx,
                  who,
                  group.map((r) => r.key),
                  query,
                ),
              ),
            );
            for (const r of group) {
              const take = pageQuery(r.page, 'createdAt', 'desc').take;
              const own = rows.filter((row) => row.sellerId === r.key || row.buyerId === r.key).slice(0, take);
              answers.set(JSON.stringify([r.key, r.page.first ?? null, r.page.after ?? null]), toConnection(own, { take }, 'createdAt'));
            }
          } catch (error) {
            for (const r of group) answers.set(JSON.stringify([r.key, r.page.first ?? null, r.page.after ?? null]), error as Error);
          }
        }
        return requests.map((r) => answers.get(JSON.stringify([r.key, r.page.first ?? null, r.page.after ?? null]))!);
      },
      { cacheKeyFn: (r) => JSON.stringify([r.key, r.page.first ?? null, r.page.after ?? null]) },
    ),
    reservation: byIdLoader(async (ids) => {
      await readCaseload();
      return primeVisible(reservationVisible, await as([], (tx, who) => findReservationsByIds(tx, who, ids)));
    }),
    /** A person's reservations, newest first, as far as the caller may see them. */
    reservationsOfUser: reservationPages('userId'),
    /** A listing's reservations, newest first (the field's rule admits only its owner and listing managers). */
    reservationsOfProperty: reservationPages('propertyId'),
    /** A reservation's activity log, newest first (the reservation itself was checked by its row rule). */
    reservationActivity: activityPages('reservation'),
    property: byIdLoader(async (ids) => primeVisible(propertyVisible, await as([], (tx, who) => findPropertiesByIds(tx, who, ids)))),
    asset: byIdLoader((ids) => asCaller((who) => findAssetsByIds(mongo, who, ids))),
    cityResource: byIdLoader((ids) => as([], (tx, who) => findCityResourcesByIds(tx, who, ids))),
    space: byIdLoader((ids) => asCaller((who) => findSpacesByIds(mongo, who, ids))),
    listingsOf: perPage((page) =>
      groupLoader(
        async (owners) => primeVisible(propertyVisible, await as([], (tx, who) => propertiesOfOwners(tx, who, owners, page))),
        (row) => row.ownerId,
      ),
    ),
    /** A listing's media in display order (the listing itself was checked by its row rule). */
    mediaOf: groupLoader(
      (ids) => as([], (tx) => mediaOfProperties(tx, ids)),
      (row) => row.propertyId,
    ),
    /** A listing's activity log, newest first (the field's rule decides who may read it). */
    propertyActivity: activityPages('property'),
    assetsOf: perPage((page) =>
      groupLoader(
        (owners) => asCaller((who) => assetsOfOwners(mongo, who, owners, page)),
        (row) => row.ownerId,
      ),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
