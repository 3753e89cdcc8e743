import type DataLoader from 'dataloader';
import { byIdLoader, groupLoader, membershipLoader, perPage, primeVisible, type Identity, type ScopedDb } from '@pathway/kit';
import type { Prisma } from './generated/prisma/client.ts';
import { assetsOfOwners, findAssetsByIds, type MongoDb } from './data/assets.ts';
import { findPropertiesByIds, propertiesOfOwners, visiblePropertyIds } from './data/properties.ts';

type Tx = Prisma.TransactionClient;

/**
 * Per-request batching: every lookup by id, and every per-person list of a User field, becomes one
 * query per kind. Every loader reads through the entity's access filter (access.ts); property reads
 * prime `propertyVisible` (the row rule's database fallback) with what they read. Nobody signed in
 * sees nothing (the data functions need an identity to scope by).
 */
export function createLoaders(db: ScopedDb<Tx>, mongo: MongoDb, identity: Identity | null) {
  const as = <T>(fetch: (who: Identity) => Promise<T[]>) => (identity ? fetch(identity) : Promise.resolve([]));
  /** Rows read through an access filter, recorded as visible to the entity's row rule. */
  const seen = <T extends { id: string }>(confirm: DataLoader<string, boolean>, rows: T[]) => (primeVisible(confirm, rows), rows);

  const propertyVisible = membershipLoader(
    async (ids) => new Set((await as((who) => db.run((tx) => visiblePropertyIds(tx, who, ids)))).map((row) => row.id)),
  );
  return {
    propertyVisible,
    property: byIdLoader(async (ids) => seen(propertyVisible, await as((who) => db.run((tx) => findPropertiesByIds(tx, who, ids))))),
    asset: byIdLoader((ids) => as((who) => findAssetsByIds(mongo, who, ids))),
    listingsOf: perPage((page) =>
      groupLoader(
        async (owners) => seen(propertyVisible, await as((who) => db.run((tx) => propertiesOfOwners(tx, who, owners, page)))),
        (row) => row.ownerId,
      ),
    ),
    assetsOf: perPage((page) =>
      groupLoader(
        (owners) => as((who) => assetsOfOwners(mongo, who, owners, page)),
        (row) => row.ownerId,
      ),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
